package dev.tern.ingress.tls;

import dev.tern.ingress.config.IngressConfig;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * The certificate and key the SMTP listeners present: the configured PEM files, or a generated
 * self-signed pair when none are configured. A missing or unreadable configured file fails the
 * start naming the key. {@link #changed()} tells the listeners when a renewed certificate (e.g.
 * by cert-manager) must be loaded.
 *
 * <p>Client-initiated TLS 1.2 renegotiation is refused for the whole JVM (unless the operator set
 * {@value #REJECT_RENEGOTIATION} explicitly): it lets one client make the server redo its costliest
 * step at will (CVE-2011-1473), and Postfix disables it too. The JDK reads the property at the
 * first server-side handshake, which comes after the listeners are built.
 */
public final class TlsMaterial {

    static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    private final Path cert;
    private final Path key;
    private FileTime certTime;
    private FileTime keyTime;

    public TlsMaterial(IngressConfig.Tls config, String hostname) {
        if (System.getProperty(REJECT_RENEGOTIATION) == null) {
            System.setProperty(REJECT_RENEGOTIATION, "true");
        }
        if (config.certFile().isPresent() != config.keyFile().isPresent()) {
            throw new IllegalArgumentException("tern.ingress.tls.cert-file and tern.ingress.tls.key-file must be set together");
        }
        if (config.certFile().isPresent()) {
            cert = readable(Path.of(config.certFile().get()), "tern.ingress.tls.cert-file");
            key = readable(Path.of(config.keyFile().get()), "tern.ingress.tls.key-file");
        } else {
            Path[] pair = SelfSignedCertificate.ensure(Path.of(config.generatedDir()), hostname);
            cert = pair[0];
            key = pair[1];
        }
        changed();
    }

    public PemKeyCertOptions options() {
        return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
    }

    /** True when either file changed since the last call. */
    public synchronized boolean changed() {
        try {
            FileTime c = Files.getLastModifiedTime(cert);
            FileTime k = Files.getLastModifiedTime(key);
            boolean changed = !c.equals(certTime) || !k.equals(keyTime);
            certTime = c;
            keyTime = k;
            return changed;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path readable(Path p, String key) {
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(key + ": cannot read " + p);
        }
        return p;
    }
}
