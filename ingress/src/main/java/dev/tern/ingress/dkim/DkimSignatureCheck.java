package dev.tern.ingress.dkim;

import dev.tern.ingress.dkim.DkimCanonicalizer.Field;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** The header hash and signature check of RFC 6376 §3.7 and §5.4.2, RFC 8463 for Ed25519. */
final class DkimSignatureCheck {

    // One verifier object per thread and algorithm: Signature.getInstance searches the security
    // providers and builds a new object on every call. initVerify resets all state.
    private static final ThreadLocal<Signature> RSA_SHA256 = ThreadLocal.withInitial(() -> rsa("SHA256withRSA"));
    private static final ThreadLocal<Signature> RSA_SHA1 = ThreadLocal.withInitial(() -> rsa("SHA1withRSA"));

    private DkimSignatureCheck() {
    }

    private static Signature rsa(String algorithm) {
        try {
            return Signature.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    /**
     * The data the signature covers: each field named by {@code h=}, picked bottom-up (the n-th
     * mention of a name takes its n-th occurrence from the bottom), canonicalised with CRLF; a name
     * mentioned more often than it occurs adds nothing (§5.4.2: over-signing, so that nobody can
     * add such a field later). Then the signature field itself with {@code b=} blanked and no CRLF.
     */
    static byte[] signedData(DkimSignature s, Field signatureField, List<Field> headers) {
        var data = new StringBuilder(1024);
        String[] keys = new String[headers.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = headers.get(i).key();
        }
        Map<String, Integer> nextFromBottom = new HashMap<>();
        for (String name : s.signedHeaders()) {
            int from = nextFromBottom.getOrDefault(name, headers.size() - 1);
            int i = from;
            while (i >= 0 && !keys[i].equals(name)) {
                i--;
            }
            nextFromBottom.put(name, i - 1);
            if (i >= 0) {
                data.append(DkimCanonicalizer.header(s.headerCanon(), headers.get(i))).append("\r\n");
            }
        }
        data.append(DkimCanonicalizer.header(s.headerCanon(), new Field(signatureField.name(), s.withoutB())));
        return data.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static boolean verifies(DkimSignature s, PublicKey key, String hash, byte[] data) {
        try {
            if (s.algorithm().startsWith("ed25519")) {
                // RFC 8463 §3: Ed25519 signs the SHA-256 digest of the data, not the data.
                byte[] digest = DkimVerifier.digest(hash).digest(data);
                byte[] signature = s.signature();
                if (signature.length != Ed25519.SIGNATURE_SIZE) {
                    return false;
                }
                // Bouncy Castle's Ed25519 rather than the JDK's: the JDK 17 one takes about a
                // millisecond of CPU per verification, which made DKIM the dearest inbound check.
                byte[] spki = key.getEncoded();
                return Ed25519.verify(signature, 0, spki, spki.length - Ed25519.PUBLIC_KEY_SIZE, digest, 0,
                        digest.length);
            }
            Signature rsa = (hash.equals("sha1") ? RSA_SHA1 : RSA_SHA256).get();
            rsa.initVerify(key);
            rsa.update(data);
            return rsa.verify(s.signature());
        } catch (java.security.SignatureException e) {
            return false; // e.g. a signature of the wrong length: it does not verify
        } catch (GeneralSecurityException e) {
            throw new DkimPermanentError("key cannot verify " + s.algorithm() + ": " + e.getMessage());
        }
    }
}
