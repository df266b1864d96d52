package dev.tern.common.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdminTokensTest {

    static final String OPERATOR = "op-secret-1";
    static final String VIEWER = "view-secret-2";

    static String file() {
        return """
                # Tern admin tokens
                %s operator ci-deployer

                %s viewer grafana   
                """.formatted(AdminTokens.sha256Hex(OPERATOR), AdminTokens.sha256Hex(VIEWER).toUpperCase());
    }

    @Test
    void hashesTokensWithSha256Hex() {
        assertThat(AdminTokens.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void parsesLinesSkippingCommentsAndBlankLines() {
        AdminTokens tokens = AdminTokens.parse(file(), "/etc/tern/admin-tokens");
        assertThat(tokens.configured()).isTrue();
        assertThat(tokens.size()).isEqualTo(2);
        assertThat(tokens.match(OPERATOR)).get().satisfies(t -> {
            assertThat(t.name()).isEqualTo("ci-deployer");
            assertThat(t.role()).isEqualTo(AdminRole.OPERATOR);
        });
        assertThat(tokens.match(VIEWER)).get().satisfies(t -> {
            assertThat(t.name()).isEqualTo("grafana");
            assertThat(t.role()).isEqualTo(AdminRole.VIEWER);
        });
        assertThat(tokens.match("op-secret-")).isEmpty();
        assertThat(tokens.match(AdminTokens.sha256Hex(OPERATOR))).as("the hash is not the token").isEmpty();
        assertThat(tokens.match("")).isEmpty();
    }

    @Test
    void anEmptyFileIsConfiguredAndAdmitsNobody() {
        AdminTokens tokens = AdminTokens.parse("# nobody yet\n", "f");
        assertThat(tokens.configured()).isTrue();
        assertThat(tokens.match(OPERATOR)).isEmpty();
        assertThat(AdminTokens.unconfigured().configured()).isFalse();
    }

    @Test
    void aMalformedLineIsRefusedNamingTheKeyTheFileAndTheLine() {
        String hash = AdminTokens.sha256Hex(OPERATOR);
        assertRefused("# ok\n" + hash + " operator\n", "/t line 2: expected");
        assertRefused(OPERATOR + " operator alice\n", "/t line 1: the first field must be the token's SHA-256");
        assertRefused(hash + " admin alice\n", "/t line 1: the second field (the role) must be viewer or operator");
        assertRefused(hash + " operator al/ice\n", "/t line 1: name 'al/ice'");
        assertRefused(hash + " operator alice\n" + AdminTokens.sha256Hex(VIEWER) + " viewer alice\n",
                "/t line 2: name 'alice' is used twice");
        assertRefused(hash + " operator alice\n" + hash.toUpperCase() + " viewer bob\n",
                "/t line 2: the same token hash is listed twice");
    }

    private static void assertRefused(String text, String message) {
        assertThatThrownBy(() -> AdminTokens.parse(text, "/t")).isInstanceOf(AdminTokensException.class)
                .hasMessageStartingWith("tern.admin.tokens-file: " + message);
    }

    @Test
    void theTokenNeverAppearsInWhatIsPrinted() {
        AdminToken t = AdminTokens.parse(file(), "f").match(OPERATOR).orElseThrow();
        assertThat(t.toString()).isEqualTo("AdminToken[operator ci-deployer]");
    }
}
