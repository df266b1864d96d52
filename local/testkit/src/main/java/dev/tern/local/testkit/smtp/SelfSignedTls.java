package dev.tern.local.testkit.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throw-away TLS server identity for {@link SmtpSink}'s STARTTLS: an EC key and self-signed
 * certificate for {@code localhost} / {@code 127.0.0.1}, made once per JVM by the JDK's own
 * {@code keytool} (the JDK has no public API to issue certificates, and this module must not
 * depend on a crypto library just for a test sink).
 *
 * <p>Clients must not verify it; delivery's opportunistic STARTTLS does not. Fails with
 * {@link IllegalStateException} if keytool is missing or fails.
 */
final class SelfSignedTls {

    private static final char[] PASSWORD = "tern-sink".toCharArray();
    private static SSLContext context;

    private SelfSignedTls() {
    }

    static synchronized SSLContext serverContext() {
        if (context == null) {
            context = create();
        }
        return context;
    }

    private static SSLContext create() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tern-sink-tls");
            Path store = dir.resolve("sink.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "sink",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "3650",
                    "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("keytool.log").toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD);
            }
            KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(keys, PASSWORD);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(managers.getKeyManagers(), null, null);
            return tls;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the SMTP sink's self-signed certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating a certificate", e);
        } finally {
            if (dir != null) {
                for (String name : new String[] {"sink.p12", "keytool.log", ""}) {
                    dir.resolve(name).toFile().delete();
                }
            }
        }
    }
}
