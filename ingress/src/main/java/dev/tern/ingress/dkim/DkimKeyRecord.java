package dev.tern.ingress.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A DKIM public key record (RFC 6376 §3.6.1, RFC 8463), the TXT record at
 * {@code <selector>._domainkey.<domain>}.
 *
 * @param keyType        {@code k=}, lower case, {@code rsa} by default
 * @param publicKeyData  the decoded {@code p=}; empty when the key is revoked
 * @param hashes         {@code h=}, the acceptable hash algorithms; empty means any
 * @param services       {@code s=}, the service types ({@code *} by default)
 * @param flags          {@code t=} flags ({@code y} testing, {@code s} strict identity)
 */
public record DkimKeyRecord(String keyType, byte[] publicKeyData, List<String> hashes, List<String> services,
        List<String> flags) {

    /** DER prefix turning a raw 32-byte Ed25519 key into a SubjectPublicKeyInfo (RFC 8410). */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
        0x21, 0x00};
    /** RFC 8301: verifiers must not accept RSA keys shorter than this. */
    static final int MIN_RSA_BITS = 1024;

    /**
     * Parses a TXT record (its strings already concatenated).
     *
     * @throws DkimPermanentError for a record that is not a usable DKIM key record
     */
    static DkimKeyRecord parse(String txt) {
        DkimTagList tags = DkimTagList.parse(txt);
        var version = tags.tag("v");
        if (version.isPresent() && (!version.get().value().equals("DKIM1") || tags.tags().get(0) != version.get())) {
            throw new DkimPermanentError("key record: v= must be DKIM1 and come first");
        }
        String p = tags.value("p").orElseThrow(() -> new DkimPermanentError("key record has no p="));
        return new DkimKeyRecord(tags.value("k").orElse("rsa").toLowerCase(Locale.ROOT),
                DkimTagList.base64("p", p), list(tags.value("h").orElse("")),
                list(tags.value("s").orElse("*")), list(tags.value("t").orElse("")));
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(":")).map(v -> v.strip().toLowerCase(Locale.ROOT))
                .filter(v -> !v.isEmpty()).toList();
    }

    /** {@code p=} empty: the signer has revoked this key (§3.6.1). */
    public boolean revoked() {
        return publicKeyData.length == 0;
    }

    /** {@code t=y}: the domain is testing DKIM; failures must not count against the message. */
    public boolean testing() {
        return flags.contains("y");
    }

    /** {@code t=s}: {@code i=} must have exactly the domain of {@code d=}, no subdomain. */
    public boolean strictIdentity() {
        return flags.contains("s");
    }

    /** Whether the key may be used for email ({@code s=*} or {@code s=email}). */
    public boolean servesEmail() {
        return services.contains("*") || services.contains("email");
    }

    /** Whether {@code h=} allows {@code hash} (e.g. {@code sha256}). */
    public boolean allowsHash(String hash) {
        return hashes.isEmpty() || hashes.contains(hash);
    }

    /**
     * The Java public key of {@code p=}.
     *
     * @throws DkimPermanentError for an unknown key type, bad key data or a too short RSA key
     */
    PublicKey publicKey() {
        try {
            switch (keyType) {
                case "ed25519" -> {
                    if (publicKeyData.length != 32) {
                        throw new DkimPermanentError("ed25519 key is not 32 bytes");
                    }
                    byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + 32);
                    System.arraycopy(publicKeyData, 0, spki, ED25519_SPKI_PREFIX.length, 32);
                    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
                }
                case "rsa" -> {
                    RSAPublicKey key = rsa();
                    if (key.getModulus().bitLength() < MIN_RSA_BITS) {
                        throw new DkimPermanentError("RSA key shorter than " + MIN_RSA_BITS + " bits");
                    }
                    return key;
                }
                default -> throw new DkimPermanentError("unknown key type k=" + keyType);
            }
        } catch (GeneralSecurityException e) {
            throw new DkimPermanentError("key syntax error: " + keyType + " key does not decode");
        }
    }

    /** SubjectPublicKeyInfo as the RFC wants, or a bare PKCS#1 RSAPublicKey as some publish. */
    private RSAPublicKey rsa() throws GeneralSecurityException {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        try {
            return (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(publicKeyData));
        } catch (GeneralSecurityException e) {
            byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
                0x01, 0x01, 0x05, 0x00};
            byte[] bitString = der(0x03, concat(new byte[] {0}, publicKeyData));
            return (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(der(0x30, concat(algorithm, bitString))));
        }
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 0x80 ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                : new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        return concat(concat(new byte[] {(byte) tag}, length), content);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
