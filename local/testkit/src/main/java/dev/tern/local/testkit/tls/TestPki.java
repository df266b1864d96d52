package dev.tern.local.testkit.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority for tests of TLS between Tern and its backends (Kafka,
 * Infinispan, a smarthost): one CA, and server or client identities it signs, each a PKCS12
 * keystore holding the key, its certificate and the CA. Made by the JDK's own {@code keytool},
 * like {@code SelfSignedTls}, so this module needs no crypto library.
 *
 * <p>Every file lives in the directory given to {@link #create}; every store has the password
 * {@link #PASSWORD}. Fails with {@link IllegalStateException} when keytool fails.
 */
public final class TestPki {

    public static final String PASSWORD = "tern-test-pki";

    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** A new CA in {@code dir}: {@code ca.p12} (its key), {@link #caPem()} and {@link #truststore()}. */
    public static TestPki create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
        var pki = new TestPki(dir.toAbsolutePath());
        pki.keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=Tern Test CA", "-ext", "bc:c", "-validity", "3650",
                "-storetype", "PKCS12", "-keystore", pki.file("ca.p12"));
        pki.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", pki.file("ca.p12"),
                "-file", pki.file("ca.pem"));
        pki.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", pki.file("ca.pem"),
                "-storetype", "PKCS12", "-keystore", pki.file("truststore.p12"));
        return pki;
    }

    /** The CA certificate, PEM. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** A PKCS12 truststore holding only the CA (alias {@code ca}). */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** A server identity {@code name.p12} for {@code localhost} and {@code 127.0.0.1}. */
    public Path server(String name) {
        return issue(name, "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1", "serverAuth");
    }

    /** A client identity {@code name.p12} whose certificate's subject is {@code CN=cn}. */
    public Path client(String name, String cn) {
        return issue(name, "CN=" + cn, null, "clientAuth");
    }

    /**
     * The key and certificate chain of keystore {@code name.p12} as PEM files: {@code name-key.pem}
     * (unencrypted PKCS#8) and {@code name-chain.pem} (its certificate, then the CA's). Returns the
     * key file; the chain file is beside it.
     */
    public Path pem(String name) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
                store.load(in, PASSWORD.toCharArray());
            }
            Key key = store.getKey(name, PASSWORD.toCharArray());
            List<String> chain = new ArrayList<>();
            for (Certificate c : store.getCertificateChain(name)) {
                chain.add(pem("CERTIFICATE", c.getEncoded()));
            }
            Files.writeString(dir.resolve(name + "-chain.pem"), String.join("", chain), StandardCharsets.US_ASCII);
            Path keyFile = dir.resolve(name + "-key.pem");
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
            return keyFile;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write " + name + " as PEM", e);
        }
    }

    private Path issue(String name, String dname, String san, String usage) {
        String store = file(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", dname,
                "-validity", "3650", "-storetype", "PKCS12", "-keystore", store);
        keytool("-certreq", "-alias", name, "-keystore", store, "-file", file(name + ".csr"));
        List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", file("ca.p12"),
                "-infile", file(name + ".csr"), "-outfile", file(name + ".crt"), "-validity", "3650",
                "-ext", "EKU=" + usage));
        if (san != null) {
            sign.addAll(List.of("-ext", san));
        }
        keytool(sign.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", file("ca.pem"), "-keystore", store);
        keytool("-importcert", "-alias", name, "-file", file(name + ".crt"), "-keystore", store);
        return dir.resolve(name + ".p12");
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD));
        Path log = dir.resolve("keytool.log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " failed: " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
