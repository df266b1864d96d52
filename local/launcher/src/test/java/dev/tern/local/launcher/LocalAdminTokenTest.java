package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.admin.AdminRole;
import dev.tern.common.admin.AdminTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalAdminTokenTest {

    @TempDir
    Path data;

    @Test
    void generatesAnOwnerOnlyOperatorTokenAtTheFirstStartAndReusesItLater() throws Exception {
        LocalAdminToken first = LocalAdminToken.prepare(data, Map.of());
        String token = first.token().orElseThrow();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(first.tokenFile()).isEqualTo(data.resolve("admin/operator-token").toAbsolutePath());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.tokenFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.tokenFile().getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(first.tokensFile())).doesNotContain(token);

        AdminTokens parsed = AdminTokens.parse(Files.readString(first.tokensFile()), first.tokensFile().toString());
        assertThat(parsed.match(token)).get().satisfies(t -> {
            assertThat(t.role()).isEqualTo(AdminRole.OPERATOR);
            assertThat(t.name()).isEqualTo("local-operator");
        });

        LocalAdminToken second = LocalAdminToken.prepare(data, Map.of());
        assertThat(second.token()).contains(token);
        assertThat(second.tokensFile()).isEqualTo(first.tokensFile());
        assertThat(AdminTokens.parse(Files.readString(second.tokensFile()), "f").match(token)).isPresent();
    }

    @Test
    void twoDataDirectoriesGetDifferentTokens() {
        String a = LocalAdminToken.prepare(data.resolve("a"), Map.of()).token().orElseThrow();
        String b = LocalAdminToken.prepare(data.resolve("b"), Map.of()).token().orElseThrow();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void theEnvironmentsTokensFileIsPassedOnAsItIs() {
        Path mine = data.resolve("my-tokens");
        LocalAdminToken t = LocalAdminToken.prepare(data, Map.of(LocalAdminToken.ENV, mine.toString()));
        assertThat(t.tokensFile()).isEqualTo(mine.toAbsolutePath());
        assertThat(t.token()).isEmpty();
        assertThat(data.resolve("admin")).doesNotExist();
        assertThat(t.banner(8082)).contains("$TERN_ADMIN_TOKENS_FILE").contains(mine.toString());
    }

    @Test
    void theBannerSaysWhereTheTokenIsWithACurlThatUsesIt() {
        LocalAdminToken t = LocalAdminToken.prepare(data, Map.of());
        assertThat(t.banner(18082)).contains("operator token in " + t.tokenFile())
                .contains("curl -H \"Authorization: Bearer $(cat " + t.tokenFile() + ")\" http://127.0.0.1:18082/admin/queues")
                .doesNotContain(t.token().orElseThrow());
    }
}
