package dev.tern.common.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdminAccessTest {

    private final AdminTokens tokens = AdminTokens.parse(AdminTokensTest.file(), "f");

    @Test
    void withoutATokensFileEverythingIs401SayingSo() {
        var v = AdminAccess.decide(AdminTokens.unconfigured(), "GET", "Bearer " + AdminTokensTest.OPERATOR);
        assertThat(v.status()).isEqualTo(401);
        assertThat(v.error()).contains("admin tokens are not configured").contains("tern.admin.tokens-file");
    }

    @Test
    void aMissingMalformedOrUnknownTokenIs401() {
        assertThat(AdminAccess.decide(tokens, "GET", null).status()).isEqualTo(401);
        assertThat(AdminAccess.decide(tokens, "GET", "Basic b3A6c2VjcmV0").status()).isEqualTo(401);
        assertThat(AdminAccess.decide(tokens, "GET", "Bearer ").status()).isEqualTo(401);
        var wrong = AdminAccess.decide(tokens, "POST", "Bearer guess");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.who()).isEqualTo("-");
    }

    @Test
    void aViewerReadsButDoesNotWrite() {
        String auth = "Bearer " + AdminTokensTest.VIEWER;
        assertThat(AdminAccess.decide(tokens, "GET", auth).allowed()).isTrue();
        assertThat(AdminAccess.decide(tokens, "HEAD", auth).allowed()).isTrue();
        for (String method : new String[] {"POST", "DELETE", "PUT", "PATCH"}) {
            var v = AdminAccess.decide(tokens, method, auth);
            assertThat(v.status()).as(method).isEqualTo(403);
            assertThat(v.who()).isEqualTo("grafana");
            assertThat(v.error()).contains("viewer").doesNotContain(AdminTokensTest.VIEWER);
        }
    }

    @Test
    void anOperatorDoesEverything() {
        for (String method : new String[] {"GET", "HEAD", "POST", "DELETE", "PUT"}) {
            var v = AdminAccess.decide(tokens, method, "bearer  " + AdminTokensTest.OPERATOR);
            assertThat(v.allowed()).as(method).isTrue();
            assertThat(v.who()).isEqualTo("ci-deployer");
        }
    }
}
