package dev.tern.ingress.dkim;

import dev.tern.ingress.dkim.DkimCanonicalizer.Field;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Test signatures with any tags {@link DkimSigner} does not make (simple canonicalisation,
 * {@code l=}, {@code x=}, rsa-sha1, odd {@code h=} lists), and an in-memory key source.
 * The independent signers (dkimpy, OpenDKIM) are in {@code DkimVerifierIT}.
 */
final class DkimTestSigning {

    private DkimTestSigning() {
    }

    /**
     * A {@code DKIM-Signature} field (with CRLF) over {@code message}: {@code tags} are placed
     * before {@code bh=} and {@code b=}, which are computed; {@code a=} decides the algorithm.
     */
    static String sign(byte[] message, KeyPair key, String tags) throws Exception {
        String probe = " " + tags + "; bh=; b=";
        DkimSignature parsed = DkimSignature.parse(probe);
        int headerEnd = DkimCanonicalizer.headerEnd(message);
        String hash = parsed.algorithm().endsWith("sha1") ? "SHA-1" : "SHA-256";
        var body = new DkimBodyHasher(parsed.bodyCanon(), MessageDigest.getInstance(hash), parsed.bodyLength());
        body.update(message, headerEnd, message.length - headerEnd);
        String value = " " + tags + "; bh=" + Base64.getEncoder().encodeToString(body.finish()) + "; b=";
        DkimSignature s = DkimSignature.parse(value);
        List<Field> headers = DkimCanonicalizer.headers(message, headerEnd);
        byte[] data = DkimSignatureCheck.signedData(s, new Field("DKIM-Signature", value), headers);
        Signature signer;
        if (s.algorithm().startsWith("ed25519")) {
            signer = Signature.getInstance("Ed25519");
            data = MessageDigest.getInstance("SHA-256").digest(data);
        } else {
            signer = Signature.getInstance(hash.equals("SHA-1") ? "SHA1withRSA" : "SHA256withRSA");
        }
        signer.initSign(key.getPrivate());
        signer.update(data);
        return "DKIM-Signature:" + value + Base64.getEncoder().encodeToString(signer.sign()) + "\r\n";
    }

    /** The TXT record publishing {@code pair}'s public key, with {@code extra} tags after {@code k=}. */
    static String record(KeyPair pair, String extra) {
        byte[] publicKey = pair.getPublic().getEncoded();
        boolean ed = pair.getPublic().getAlgorithm().equals("Ed25519") || pair.getPublic().getAlgorithm().equals("EdDSA");
        if (ed) {
            publicKey = Arrays.copyOfRange(publicKey, publicKey.length - 32, publicKey.length);
        }
        return "v=DKIM1; k=" + (ed ? "ed25519" : "rsa") + (extra.isEmpty() ? "" : "; " + extra) + "; p="
                + Base64.getEncoder().encodeToString(publicKey);
    }

    /** Keys served from a map: a name not in it has no record. */
    static DkimKeyRecords keys(Map<String, DkimKeyRecords.KeyLookup> answers) {
        return name -> CompletableFuture.completedFuture(answers.getOrDefault(name, new DkimKeyRecords.None()));
    }

    static DkimKeyRecords.Found found(String record) {
        return new DkimKeyRecords.Found(List.of(record));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] prepend(String header, byte[] message) {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = Arrays.copyOf(h, h.length + message.length);
        System.arraycopy(message, 0, out, h.length, message.length);
        return out;
    }

}
