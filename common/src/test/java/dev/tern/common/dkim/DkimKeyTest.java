package dev.tern.common.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading DKIM keys from the PEM files the policy names; signing is ingress's (DkimSignerIT there, verified by dkimpy). */
class DkimKeyTest {

    @TempDir
    Path dir;

    @Test
    void loadsPkcs8KeysAndNamesWhatIsWrongWithOthers() throws Exception {
        var g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        var rsa = g.generateKeyPair();
        var ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path pem = dir.resolve("rsa.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(rsa.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        assertThat(DkimKey.load("example.org", "s", pem).algorithm()).isEqualTo(DkimKey.Algorithm.RSA);
        Path ed = dir.resolve("ed.pem");
        Files.writeString(ed, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getEncoder().encodeToString(ed25519.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        assertThat(DkimKey.load("example.org", "s", ed).algorithm()).isEqualTo(DkimKey.Algorithm.ED25519);

        Path pkcs1 = dir.resolve("pkcs1.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> DkimKey.load("example.org", "s", pkcs1)).hasMessageContaining("openssl pkcs8");
        assertThatThrownBy(() -> DkimKey.load("example.org", "s", dir.resolve("missing.pem")))
                .hasMessageContaining("cannot read");
    }
}
