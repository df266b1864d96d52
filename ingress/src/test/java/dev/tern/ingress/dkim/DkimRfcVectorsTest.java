package dev.tern.ingress.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.ingress.dkim.DkimCanonicalizer.Canonicalization;
import dev.tern.ingress.dkim.DkimCanonicalizer.Field;
import dev.tern.ingress.dkim.DkimResult.Result;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The examples of the RFCs, byte for byte. */
class DkimRfcVectorsTest {

    /** RFC 8463 Appendix A.3: one message signed with Ed25519 (A.2's key) and RSA. */
    static final String RFC8463_SIGNED = """
            DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;
             d=football.example.com; i=@football.example.com;
             q=dns/txt; s=brisbane; t=1528637909; h=from : to :
             subject : date : message-id : from : subject : date;
             bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;
             b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus
             Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==
            DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;
             d=football.example.com; i=@football.example.com;
             q=dns/txt; s=test; t=1528637909; h=from : to : subject :
             date : message-id : from : subject : date;
             bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;
             b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3
             DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz
             dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=
            From: Joe SixPack <joe@football.example.com>
            To: Suzie Q <suzie@shopping.example.net>
            Subject: Is dinner ready?
            Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)
            Message-ID: <20030712040037.46341.5F8J@football.example.com>

            Hi.

            We lost the game.  Are you hungry yet?

            Joe.
            """;

    /** RFC 8463 A.2 and dkimpy's copy of the same RSA test key. */
    static final Map<String, DkimKeyRecords.KeyLookup> RFC8463_KEYS = Map.of(
            "brisbane._domainkey.football.example.com",
            DkimTestSigning.found("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="),
            "test._domainkey.football.example.com",
            DkimTestSigning.found("v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY"
                    + "6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG"
                    + "4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB"));

    @Test
    void rfc8463ExampleVerifies() {
        byte[] message = RFC8463_SIGNED.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
        var verifier = new DkimVerifier(DkimTestSigning.keys(RFC8463_KEYS),
                Clock.fixed(Instant.parse("2018-06-10T13:40:00Z"), ZoneOffset.UTC), DkimVerifier.DEFAULT_CLOCK_SKEW);
        List<DkimResult> results = verifier.verify(message).toCompletableFuture().join();
        assertThat(results).extracting(DkimResult::result, DkimResult::algorithm).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Result.PASS, "ed25519-sha256"),
                org.assertj.core.groups.Tuple.tuple(Result.PASS, "rsa-sha256"));
        assertThat(results.get(0).identity()).isEqualTo("@football.example.com");

        byte[] tampered = new String(message, StandardCharsets.US_ASCII).replace("hungry", "angry")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(verifier.verify(tampered).toCompletableFuture().join()).extracting(DkimResult::result)
                .containsExactly(Result.FAIL, Result.FAIL);
    }

    /** RFC 6376 §3.4.5. */
    static final byte[] EXAMPLE = ("A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void rfc6376HeaderExamples() {
        List<Field> headers = DkimCanonicalizer.headers(EXAMPLE, DkimCanonicalizer.headerEnd(EXAMPLE));
        assertThat(headers).extracting(h -> DkimCanonicalizer.header(Canonicalization.RELAXED, h) + "\r\n")
                .containsExactly("a:X\r\n", "b:Y Z\r\n");
        assertThat(headers).extracting(h -> DkimCanonicalizer.header(Canonicalization.SIMPLE, h) + "\r\n")
                .containsExactly("A: X\r\n", "B : Y\t\r\n\tZ  \r\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 1000})
    void rfc6376BodyExamplesInAnyChunking(int chunk) throws Exception {
        int start = DkimCanonicalizer.bodyStart(EXAMPLE);
        assertThat(body(Canonicalization.RELAXED, EXAMPLE, start, chunk, -1)).isEqualTo(sha(" C\r\nD E\r\n"));
        assertThat(body(Canonicalization.SIMPLE, EXAMPLE, start, chunk, -1)).isEqualTo(sha(" C \r\nD \t E\r\n"));
        assertThat(body(Canonicalization.SIMPLE, EXAMPLE, start, chunk, 5)).isEqualTo(sha(" C \r\n"));
    }

    @Test
    void emptyAndUnterminatedBodies() throws Exception {
        byte[] none = new byte[0];
        assertThat(body(Canonicalization.SIMPLE, none, 0, 1, -1)).isEqualTo(sha("\r\n"));
        assertThat(body(Canonicalization.RELAXED, none, 0, 1, -1)).isEqualTo(sha(""));
        byte[] blank = "\r\n \t\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(body(Canonicalization.RELAXED, blank, 0, 1, -1)).isEqualTo(sha(""));
        assertThat(body(Canonicalization.SIMPLE, blank, 0, 1, -1)).isEqualTo(sha("\r\n \t\r\n"));
        byte[] open = "a\r\n\r\nb  \r".getBytes(StandardCharsets.US_ASCII);
        assertThat(body(Canonicalization.SIMPLE, open, 0, 2, -1)).isEqualTo(sha("a\r\n\r\nb  \r\r\n"));
        assertThat(body(Canonicalization.RELAXED, open, 0, 2, -1)).isEqualTo(sha("a\r\n\r\nb \r\r\n"));
    }

    private static byte[] body(Canonicalization c, byte[] m, int start, int chunk, long limit) throws Exception {
        var hasher = new DkimBodyHasher(c, MessageDigest.getInstance("SHA-256"), limit);
        for (int at = start; at < m.length; at += chunk) {
            hasher.update(m, at, Math.min(chunk, m.length - at));
        }
        return hasher.finish();
    }

    private static byte[] sha(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
    }
}
