package dev.tern.ingress.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Writes a self-signed certificate and key (PEM) for the local cluster and first starts, so
 * STARTTLS and port 465 work out of the box. Kept on disk and reused until it expires: clients
 * that pinned it keep working across restarts. Production mounts a real certificate instead.
 */
public final class SelfSignedCertificate {

    private SelfSignedCertificate() {
    }

    /** Returns {cert, key} paths in {@code dir}, generating them when missing. */
    public static Path[] ensure(Path dir, String hostname) {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        if (Files.isReadable(cert) && Files.isReadable(key)) {
            return new Path[] {cert, key};
        }
        try {
            Files.createDirectories(dir);
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048, new SecureRandom());
            KeyPair pair = gen.generateKeyPair();
            X500Name name = new X500Name("CN=" + hostname);
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(825))), name,
                    pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, hostname),
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            var signer = new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate());
            var x509 = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            Files.writeString(cert, pem(x509));
            Files.writeString(key, pem(pair.getPrivate()));
            try {
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system: nothing more to tighten.
            }
            return new Path[] {cert, key};
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a self-signed certificate to " + dir, e);
        }
    }

    private static String pem(Object o) throws IOException {
        var out = new StringWriter();
        try (var w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
