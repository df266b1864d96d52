package dev.tern.common.infinispan;

import dev.tern.common.config.TernConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@link SSLContext} of Tern's Hot Rod connections, from {@code tern.infinispan.tls.*}: the
 * CAs to trust as a PEM file (what a Kubernetes Secret or the Infinispan Operator's
 * {@code tls.crt} holds) or a PKCS12/JKS store, and optionally a client keystore for mutual TLS.
 *
 * <p>Tern loads the files itself rather than handing their names to the Hot Rod client, so a
 * missing or malformed file fails the service's start with the name of the key at fault instead
 * of failing every connection later.
 */
final class HotRodTls {

    static final String PREFIX = "tern.infinispan.tls.";

    private HotRodTls() {
    }

    /** The context, or an {@link IllegalStateException} naming the key whose file is unusable. */
    static SSLContext context(TernConfig.InfinispanTls tls) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(tls.truststore().map(file -> truststore(file, tls.truststoreType(), tls.truststorePassword()))
                    .orElse(null));
            KeyManagerFactory keys = null;
            if (tls.keystore().isPresent()) {
                char[] password = tls.keystorePassword().orElse("").toCharArray();
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                KeyStore store = load(tls.keystore().get(), storeType(tls.keystore().get(), tls.keystoreType(), "PKCS12"),
                        password, "keystore");
                try {
                    keys.init(store, password);
                } catch (GeneralSecurityException e) {
                    throw bad("keystore", tls.keystore().get(), "cannot use its key (" + e.getMessage() + ")");
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(PREFIX + "*: cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore truststore(Path file, Optional<String> type, Optional<String> password) {
        String t = storeType(file, type, "PEM");
        if (!t.equals("PEM")) {
            return load(file, t, password.map(String::toCharArray).orElse(null), "truststore");
        }
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw bad("truststore", file, "holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw bad("truststore", file, "is not a readable PEM certificate file (" + e.getMessage() + ")");
        }
    }

    private static KeyStore load(Path file, String type, char[] password, String key) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw bad(key, file, "is not a readable " + type + " store, or the password is wrong ("
                    + e.getMessage() + ")");
        }
    }

    /** The explicit type, else one derived from the file name, else {@code otherwise}. */
    static String storeType(Path file, Optional<String> type, String otherwise) {
        if (type.isPresent()) {
            String t = type.get().trim().toUpperCase(Locale.ROOT);
            if (!t.equals("PEM") && !t.equals("PKCS12") && !t.equals("JKS")) {
                throw new IllegalStateException(PREFIX + "*-type: expected PEM, PKCS12 or JKS, got " + type.get());
            }
            return t;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx") || name.endsWith(".pkcs12")) {
            return "PKCS12";
        }
        return name.endsWith(".jks") ? "JKS" : otherwise;
    }

    private static IllegalStateException bad(String key, Path file, String why) {
        String problem = Files.isReadable(file) ? why : "cannot be read (missing, or not readable by this user)";
        return new IllegalStateException(PREFIX + key + ": " + file + " " + problem);
    }
}
