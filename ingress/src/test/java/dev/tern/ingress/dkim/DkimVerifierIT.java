package dev.tern.ingress.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.ingress.dkim.DkimKeyRecords.KeyLookup;
import dev.tern.ingress.dkim.DkimResult.Result;
import dev.tern.local.testkit.Dkimpy;
import dev.tern.local.testkit.OpenDkim;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Signatures made by independent implementations, dkimpy and OpenDKIM (child processes), verify
 * in Tern; one changed body byte or one changed signed header makes them fail, or the passes
 * would prove nothing.
 */
class DkimVerifierIT {

    static KeyPair rsa;
    static KeyPair ed25519;

    static final String MESSAGE = "Received: from client.example ([192.0.2.1])\r\n"
            + "\tby mx.example.org with ESMTPS id 1; Mon, 23 Nov 2026 20:00:00 +0000\r\n"
            + "From: Alice <alice@example.org>\r\n"
            + "To:   bob@example.net,\r\n    carol@example.net  \r\n"
            + "Subject: greetings   with   spaces \r\n"
            + "Date: Mon, 23 Nov 2026 20:00:00 +0000\r\n"
            + "Message-ID: <1@example.org>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "\r\n"
            + "H\u00e9llo  Bob,\t \r\n"
            + "\r\n"
            + " trailing white space and empty lines at the end   \r\n"
            + "\r\n\r\n";

    @BeforeAll
    static void keys() throws Exception {
        var g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsa = g.generateKeyPair();
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    static Stream<Arguments> signatures() {
        return Stream.of(
                Arguments.of("dkimpy", "rsa-sha256", "relaxed/relaxed"),
                Arguments.of("dkimpy", "rsa-sha256", "relaxed/simple"),
                Arguments.of("dkimpy", "rsa-sha256", "simple/relaxed"),
                Arguments.of("dkimpy", "rsa-sha256", "simple/simple"),
                Arguments.of("dkimpy", "ed25519-sha256", "relaxed/relaxed"),
                Arguments.of("dkimpy", "ed25519-sha256", "simple/simple"),
                Arguments.of("dkimpy+l", "rsa-sha256", "relaxed/simple"),
                Arguments.of("opendkim", "rsa-sha256", "relaxed/relaxed"),
                Arguments.of("opendkim", "rsa-sha256", "relaxed/simple"),
                Arguments.of("opendkim", "rsa-sha256", "simple/simple"),
                Arguments.of("opendkim", "ed25519-sha256", "relaxed/relaxed"),
                // Not ed25519 with simple header canonicalisation: OpenDKIM 2.11 (Debian 12) emits a
                // signature field other than the one it hashed, which dkimpy rejects as well.
                Arguments.of("opendkim", "ed25519-sha256", "relaxed/simple"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("signatures")
    void independentSignaturesPassAndTamperedCopiesFail(String signer, String algorithm, String c) {
        KeyPair pair = algorithm.startsWith("ed25519") ? ed25519 : rsa;
        // The milter interface hands OpenDKIM each header value without the white space after the
        // colon and its test mode puts back one space: with simple header canonicalisation it signs
        // "To: bob" whatever the file says (and an MTA would send what it signed).
        String text = signer.equals("opendkim") ? MESSAGE.replace("To:   bob", "To: bob") : MESSAGE;
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        String header = signer.equals("opendkim")
                ? OpenDkim.sign(message, "example.org", "sel", pem(pair), algorithm, c)
                : Dkimpy.sign(message, "sel", "example.org", dkimpyKey(pair), algorithm, c, signer.endsWith("+l"));
        assertThat(header).contains("a=" + algorithm).contains("c=" + c);
        if (signer.endsWith("+l")) {
            assertThat(header).contains("l=");
        }
        String signed = header + text;

        DkimResult result = verify(signed, pair);
        assertThat(result.result()).as(result.reason()).isEqualTo(Result.PASS);
        assertThat(result.domain()).isEqualTo("example.org");
        assertThat(result.selector()).isEqualTo("sel");

        DkimResult body = verify(signed.replace("Bob,", "Bop,"), pair);
        assertThat(body.result()).isEqualTo(Result.FAIL);
        assertThat(body.reason()).isEqualTo("body hash mismatch");
        DkimResult subject = verify(signed.replace("greetings", "greetingz"), pair);
        assertThat(subject.result()).isEqualTo(Result.FAIL);
        assertThat(subject.reason()).isEqualTo("signature mismatch");
    }

    @Test
    void opendkimTestmsgRsaSha1VerifiesButIsNotAcceptable() {
        byte[] message = MESSAGE.getBytes(StandardCharsets.UTF_8);
        String header = OpenDkim.signRsaSha1(message, "example.org", "sel", pem(rsa));
        assertThat(header).contains("a=rsa-sha1");
        String signed = header + MESSAGE;

        DkimResult result = verify(signed, rsa);
        assertThat(result.result()).isEqualTo(Result.POLICY);
        assertThat(result.reason()).contains("RFC 8301");
        assertThat(verify(signed.replace("greetings", "greetingz"), rsa).result()).isEqualTo(Result.FAIL);
    }

    private static DkimResult verify(String message, KeyPair pair) {
        Map<String, KeyLookup> dns = Map.of("sel._domainkey.example.org",
                DkimTestSigning.found(DkimTestSigning.record(pair, "")));
        var verifier = new DkimVerifier(DkimTestSigning.keys(dns), Clock.systemUTC(), DkimVerifier.DEFAULT_CLOCK_SKEW);
        List<DkimResult> results = verifier.verify(message.getBytes(StandardCharsets.UTF_8)).toCompletableFuture()
                .join();
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    /** PKCS#8 PEM, which both OpenDKIM and dkimpy (for RSA) read. */
    private static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** dkimpy takes Ed25519 keys as the base64 of the 32-byte seed, the end of the PKCS#8 encoding. */
    private static String dkimpyKey(KeyPair pair) {
        if (!pair.getPrivate().getAlgorithm().startsWith("Ed")) {
            return pem(pair);
        }
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
    }
}
