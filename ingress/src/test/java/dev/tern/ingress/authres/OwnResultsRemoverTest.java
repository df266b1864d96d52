package dev.tern.ingress.authres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OwnResultsRemoverTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String removed(String message) {
        return new String(OwnResultsRemover.remove(bytes(message), "mx.example.org"), StandardCharsets.ISO_8859_1);
    }

    @Test
    void removesForgedFieldsOfOurIdIncludingFoldedLinesAndKeepsOthers() {
        String in = "Received: from a\r\n"
                + "Authentication-Results: mx.example.org;\r\n\tspf=pass smtp.mailfrom=evil.test\r\n"
                + "authentication-results: (comment) MX.Example.Org 1; dkim=pass\r\n"
                + "Authentication-Results: \"mx.example.org\"; dmarc=pass\r\n"
                + "Authentication-Results: other.example; spf=fail\r\n"
                + "Subject: hi\r\n"
                + "\r\n"
                + "Authentication-Results: mx.example.org; body text stays\r\n";
        assertThat(removed(in)).isEqualTo("Received: from a\r\n"
                + "Authentication-Results: other.example; spf=fail\r\n"
                + "Subject: hi\r\n"
                + "\r\n"
                + "Authentication-Results: mx.example.org; body text stays\r\n");
    }

    @Test
    void aMessageWithoutOurFieldIsReturnedAsIs() {
        byte[] in = bytes("Authentication-Results: mx.example.org.evil; spf=pass\r\n"
                + "X-Authentication-Results: mx.example.org; spf=pass\r\nSubject: x\r\n\r\nbody\r\n");
        assertThat(OwnResultsRemover.remove(in, "mx.example.org")).isSameAs(in);
    }

    @Test
    void handlesBareNewlinesAndAMessageWithoutBody() {
        assertThat(removed("Authentication-Results: mx.example.org; none\nSubject: x\n"))
                .isEqualTo("Subject: x\n");
        assertThat(removed("Subject: x\r\nAuthentication-Results: mx.example.org; none"))
                .isEqualTo("Subject: x\r\n");
    }
}
