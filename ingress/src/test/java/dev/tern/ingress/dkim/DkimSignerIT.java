package dev.tern.ingress.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.common.dkim.DkimKey;
import dev.tern.local.testkit.Dkimpy;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Signatures checked by an independent verifier ({@link Dkimpy}), with the public key handed to it
 * as the DNS TXT record would give it. A message changed after signing must fail the same check,
 * or the check proves nothing.
 */
class DkimSignerIT {

    static KeyPair rsa;
    static KeyPair ed25519;

    @BeforeAll
    static void keys() throws Exception {
        var g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsa = g.generateKeyPair();
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static final String MESSAGE = "Received: from client.example ([192.0.2.1])\r\n"
            + "\tby mx.example.org with ESMTPS id 1; Mon, 23 Nov 2026 20:00:00 +0000\r\n"
            + "From: Alice <alice@example.org>\r\n"
            + "To:   bob@example.net,\r\n    carol@example.net  \r\n"
            + "Subject: =?UTF-8?Q?h=C3=A9llo?=   with   spaces \r\n"
            + "Subject: a second subject field\r\n"
            + "Date: Mon, 23 Nov 2026 20:00:00 +0000\r\n"
            + "Message-ID: <1@example.org>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n"
            + "\r\n"
            + "H\u00e9llo  Bob,\t \r\n"
            + "\r\n"
            + " trailing white space and empty lines at the end   \r\n"
            + "\r\n\r\n";

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ed25519"})
    void dkimpyAcceptsTheSignatureAndRefusesAChangedMessage(String algorithm) throws Exception {
        KeyPair pair = algorithm.equals("rsa") ? rsa : ed25519;
        var key = new DkimKey("example.org", "s2026", pair.getPrivate(),
                algorithm.equals("rsa") ? DkimKey.Algorithm.RSA : DkimKey.Algorithm.ED25519);
        byte[] message = MESSAGE.getBytes(StandardCharsets.UTF_8);
        String header = DkimSigner.sign(message, key, Instant.parse("2026-11-23T20:00:00Z"));

        assertThat(header).startsWith("DKIM-Signature: v=1; a=").endsWith("\r\n");
        assertThat(header.replaceAll("\\s+", "")).contains("a=" + algorithm + "-sha256;c=relaxed/relaxed;"
                + "d=example.org;s=s2026;t=1795464000;h=from:subject:subject:date:to:message-id:mime-version:"
                + "content-type:content-transfer-encoding;bh=");
        assertThat(header.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(78));

        byte[] signed = concat(header.getBytes(StandardCharsets.US_ASCII), message);
        assertThat(verify(signed, pair, algorithm)).as("dkimpy verifies the signed message").isEqualTo("True");

        // Relaxed canonicalization: re-folded headers and changed white space still verify.
        String refolded = new String(signed, StandardCharsets.UTF_8).replace("Subject: a second subject field",
                "Subject:  a second\r\n  subject field");
        assertThat(verify(refolded.getBytes(StandardCharsets.UTF_8), pair, algorithm)).isEqualTo("True");

        String tampered = new String(signed, StandardCharsets.UTF_8).replace("Bob,", "Bob!");
        assertThat(verify(tampered.getBytes(StandardCharsets.UTF_8), pair, algorithm))
                .as("a changed body fails").isEqualTo("False");
        String resent = new String(signed, StandardCharsets.UTF_8).replace("To:   bob", "To: mallory@example.com, bob");
        assertThat(verify(resent.getBytes(StandardCharsets.UTF_8), pair, algorithm))
                .as("a changed signed header fails").isEqualTo("False");
    }

    @Test
    void aMessageWithoutFromCannotBeSigned() {
        var key = new DkimKey("example.org", "s", rsa.getPrivate(), DkimKey.Algorithm.RSA);
        assertThatThrownBy(() -> DkimSigner.sign("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII),
                key, Instant.now())).hasMessageContaining("From");
    }

    /** dkimpy's verdict on {@code message}, "True" or "False". */
    private static String verify(byte[] message, KeyPair pair, String algorithm) {
        return Dkimpy.verifies(message, "s2026._domainkey.example.org.", txtRecord(pair, algorithm)) ? "True" : "False";
    }

    /** The TXT record publishing {@code pair}'s public key. */
    static String txtRecord(KeyPair pair, String algorithm) {
        byte[] publicKey = pair.getPublic().getEncoded();
        if (algorithm.equals("ed25519")) {
            // RFC 8463: the TXT record holds the raw 32-byte key, not the SubjectPublicKeyInfo.
            publicKey = Arrays.copyOfRange(publicKey, publicKey.length - 32, publicKey.length);
        }
        return "v=DKIM1; k=" + algorithm + "; p=" + Base64.getEncoder().encodeToString(publicKey);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
