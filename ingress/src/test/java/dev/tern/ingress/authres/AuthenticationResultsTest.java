package dev.tern.ingress.authres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.ingress.authres.MethodResult.Property;
import dev.tern.ingress.dkim.DkimResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticationResultsTest {

    @Test
    void noResultsIsNone() {
        assertThat(AuthenticationResults.header("mx.tern.example", List.of()))
                .isEqualTo("Authentication-Results: mx.tern.example; none\r\n");
    }

    @Test
    void oneResinfoPerLineWithPropertiesInOrder() {
        var spf = new MethodResult("spf", "pass", null, List.of(new Property("smtp", "mailfrom", "alice@example.org")));
        var dkim = new DkimResult(DkimResult.Result.PASS, null, "example.org", "sel", "@example.org", "rsa-sha256",
                "AbC+/1=x", false).methodResult();
        var dmarc = new MethodResult("dmarc", "pass", null, List.of(new Property("header", "from", "example.org")));
        assertThat(AuthenticationResults.value("mx.tern.example", List.of(spf, dkim, dmarc))).isEqualTo(
                "mx.tern.example;\r\n"
                + "\tspf=pass smtp.mailfrom=alice@example.org;\r\n"
                + "\tdkim=pass header.d=example.org header.i=@example.org header.s=sel header.a=rsa-sha256"
                + " header.b=\"AbC+/1=x\";\r\n"
                + "\tdmarc=pass header.from=example.org");
    }

    @Test
    void reasonsAndHostileValuesAreQuoted() {
        var fail = new DkimResult(DkimResult.Result.FAIL, "body hash mismatch", "evil.example; dkim=pass",
                "s\"el", null, "rsa-sha256", null, true).methodResult();
        String value = AuthenticationResults.value("mx.tern.example", List.of(fail));
        assertThat(value).isEqualTo("mx.tern.example;\r\n\tdkim=fail reason=\"body hash mismatch; testing key\""
                + " header.d=\"evil.example; dkim=pass\" header.s=\"s\\\"el\" header.a=rsa-sha256");

        var multiline = new MethodResult("spf", "permerror", "line one\r\nline two", List.of());
        assertThat(AuthenticationResults.value("id with space", List.of(multiline)))
                .isEqualTo("\"id with space\";\r\n\tspf=permerror reason=\"line one line two\"");
    }

    @Test
    void aCommentFollowsTheResultWithItsParenthesesEscaped() {
        var dmarc = new MethodResult("dmarc", "fail", null, List.of(new Property("header", "from", "example.org")),
                "p=reject dis=none");
        var hostile = new MethodResult("x", "pass", null, List.of(), "a) b=c; (d\\\r\n");
        assertThat(AuthenticationResults.value("mx.test", List.of(dmarc, hostile))).isEqualTo("mx.test;\r\n"
                + "\tdmarc=fail (p=reject dis=none) header.from=example.org;\r\n"
                + "\tx=pass (a\\) b=c; \\(d\\\\ )");
    }
}
