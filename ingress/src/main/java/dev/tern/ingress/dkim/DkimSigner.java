package dev.tern.ingress.dkim;

import dev.tern.common.dkim.DkimKey;
import dev.tern.ingress.dkim.DkimCanonicalizer.Canonicalization;
import dev.tern.ingress.dkim.DkimCanonicalizer.Field;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * DKIM signatures (RFC 6376) for outgoing mail: {@code c=relaxed/relaxed}, {@code rsa-sha256} or
 * {@code ed25519-sha256} (RFC 8463), over the headers a receiver and DMARC care about that the
 * message has ({@link #SIGNED}; {@code From} always). No {@code l=} (a body length would let
 * anyone append content). Pure functions of the message bytes; thread-safe.
 */
public final class DkimSigner {

    /** Header fields signed when present, in this order; each occurrence is signed (bottom-up, §5.4.2). */
    public static final List<String> SIGNED = List.of("from", "sender", "reply-to", "subject", "date", "to", "cc",
            "message-id", "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding",
            "list-id", "list-unsubscribe", "list-unsubscribe-post", "feedback-id");

    private DkimSigner() {
    }

    /**
     * The {@code DKIM-Signature} header field (with its CRLF) to prepend to {@code message}, a
     * whole RFC 5322 message with CRLF line ends.
     */
    public static String sign(byte[] message, DkimKey key, Instant now) {
        int headerEnd = DkimCanonicalizer.headerEnd(message);
        List<Field> headers = DkimCanonicalizer.headers(message, headerEnd);
        var body = new DkimBodyHasher(Canonicalization.RELAXED, sha256(), -1);
        body.update(message, headerEnd, message.length - headerEnd);
        byte[] bodyHash = body.finish();

        // Each name once per occurrence, the last occurrence first (RFC 6376 §5.4.2).
        List<String> names = new ArrayList<>();
        List<String> signedLines = new ArrayList<>();
        for (String wanted : SIGNED) {
            for (int i = headers.size() - 1; i >= 0; i--) {
                Field h = headers.get(i);
                if (h.key().equals(wanted)) {
                    names.add(wanted);
                    signedLines.add(DkimCanonicalizer.relaxedHeader(h.key(), h.value()));
                }
            }
        }
        if (!names.contains("from")) {
            throw new IllegalArgumentException("the message has no From header field to sign");
        }
        String tags = "v=1; a=" + key.algorithm().tag() + "; c=relaxed/relaxed; d=" + key.domain() + "; s="
                + key.selector() + "; t=" + now.getEpochSecond() + "; h=" + String.join(":", names) + "; bh="
                + Base64.getEncoder().encodeToString(bodyHash) + "; b=";
        var signedData = new StringBuilder();
        for (String line : signedLines) {
            signedData.append(line).append("\r\n");
        }
        // The signature header itself as it will be sent, folded, with an empty b= and no trailing
        // CRLF (§3.7): folded before signing, so that where it is folded cannot matter.
        String head = fold("DKIM-Signature: " + tags);
        signedData.append(DkimCanonicalizer.relaxedHeader("dkim-signature", head.substring(head.indexOf(':') + 1)));
        String b = Base64.getEncoder().encodeToString(signature(key, signedData.toString()
                .getBytes(StandardCharsets.ISO_8859_1)));
        return appendFolded(head, b) + "\r\n";
    }

    /** {@code head} (ending in {@code b=}) with the signature appended, broken into lines of at most 76. */
    static String appendFolded(String head, String b) {
        var out = new StringBuilder(head);
        int lineLength = head.length() - head.lastIndexOf('\n') - 1;
        int at = 0;
        while (at < b.length()) {
            int room = 76 - lineLength;
            if (room < 8) {
                out.append("\r\n\t");
                lineLength = 1;
                room = 75;
            }
            int end = Math.min(b.length(), at + room);
            out.append(b, at, end);
            lineLength += end - at;
            at = end;
        }
        return out.toString();
    }

    /**
     * The domain of the (first) address in the message's From header field, lower case; empty
     * when there is none. What a DKIM signature must align with for DMARC.
     */
    public static Optional<String> fromDomain(byte[] message) {
        for (Field h : DkimCanonicalizer.headers(message, DkimCanonicalizer.headerEnd(message))) {
            if (!h.key().equals("from")) {
                continue;
            }
            String value = h.value().replace("\r\n", "");
            int lt = value.indexOf('<');
            String address = lt >= 0 ? value.substring(lt + 1, Math.max(lt + 1, value.indexOf('>', lt))) : value;
            int at = address.lastIndexOf('@');
            if (at < 0) {
                return Optional.empty();
            }
            String domain = address.substring(at + 1).split("[\\s,;>)]", 2)[0].toLowerCase(Locale.ROOT);
            return domain.isEmpty() ? Optional.empty() : Optional.of(domain);
        }
        return Optional.empty();
    }

    private static byte[] signature(DkimKey key, byte[] data) {
        try {
            if (key.algorithm() == DkimKey.Algorithm.ED25519) {
                // RFC 8463: Ed25519 signs the SHA-256 digest of the data ("PureEdDSA" over the hash).
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(key.privateKey());
                s.update(sha256().digest(data));
                return s.sign();
            }
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key.privateKey());
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DKIM signing with " + key.domain() + "/" + key.selector() + " failed", e);
        }
    }

    /**
     * Folds a header field into lines of at most 76 characters, at the spaces between tags and,
     * inside a long {@code h=} list, after its colons. Callers fold before signing (see
     * {@link #sign}), so the folding is part of what is signed.
     */
    static String fold(String field) {
        var out = new StringBuilder();
        int lineLength = 0;
        for (String token : field.split(" ")) {
            List<String> pieces = new ArrayList<>();
            if (token.length() > 70 && token.startsWith("h=")) {
                int from = 0;
                for (int i = 0; i < token.length(); i++) {
                    if (token.charAt(i) == ':') {
                        pieces.add(token.substring(from, i + 1));
                        from = i + 1;
                    }
                }
                pieces.add(token.substring(from));
            } else {
                pieces.add(token);
            }
            for (int i = 0; i < pieces.size(); i++) {
                String piece = pieces.get(i);
                int gap = out.length() == 0 || i > 0 ? 0 : 1;
                if (out.length() > 0 && lineLength + gap + piece.length() > 76) {
                    out.append("\r\n\t").append(piece);
                    lineLength = 1 + piece.length();
                } else {
                    out.append(gap == 1 ? " " : "").append(piece);
                    lineLength += gap + piece.length();
                }
            }
        }
        return out.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
