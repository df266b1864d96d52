package dev.tern.ingress.dkim;

import dev.tern.common.dkim.DkimKey;
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
import java.util.Set;

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
    private static final Set<String> SIGNED_SET = Set.copyOf(SIGNED);
    private static final byte[] CRLF = {'\r', '\n'};

    private DkimSigner() {
    }

    /**
     * The {@code DKIM-Signature} header field (with its CRLF) to prepend to {@code message}, a
     * whole RFC 5322 message with CRLF line ends.
     */
    public static String sign(byte[] message, DkimKey key, Instant now) {
        int bodyStart = bodyStart(message);
        List<String[]> headers = headers(message, bodyStart < 0 ? message.length : bodyStart);
        byte[] bodyHash = sha256(relaxedBody(message, bodyStart < 0 ? message.length : bodyStart));

        // Each name once per occurrence, the last occurrence first (RFC 6376 §5.4.2).
        List<String> names = new ArrayList<>();
        List<String> signedLines = new ArrayList<>();
        for (String wanted : SIGNED) {
            for (int i = headers.size() - 1; i >= 0; i--) {
                String[] h = headers.get(i);
                if (h[0].equals(wanted)) {
                    names.add(wanted);
                    signedLines.add(relaxedHeader(h[0], h[1]));
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
        signedData.append(relaxedHeader("dkim-signature", head.substring(head.indexOf(':') + 1)));
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
        int bodyStart = bodyStart(message);
        for (String[] h : headers(message, bodyStart < 0 ? message.length : bodyStart)) {
            if (!h[0].equals("from")) {
                continue;
            }
            String value = h[1].replace("\r\n", "");
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
                s.update(sha256(data));
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

    /** Offset of the body (after the blank line), or -1 for a message that is all header. */
    static int bodyStart(byte[] m) {
        if (m.length >= 2 && m[0] == '\r' && m[1] == '\n') {
            return 2;
        }
        for (int i = 0; i + 3 < m.length; i++) {
            if (m[i] == '\r' && m[i + 1] == '\n' && m[i + 2] == '\r' && m[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /**
     * Header fields as {lower-case name, raw value after the colon, folding kept}. Decoded as
     * ISO-8859-1, one char per byte, so 8-bit header bytes hash exactly as sent.
     */
    static List<String[]> headers(byte[] m, int end) {
        String text = new String(m, 0, end, StandardCharsets.ISO_8859_1);
        List<String[]> out = new ArrayList<>();
        StringBuilder field = null;
        for (String line : text.split("\r\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && field != null) {
                field.append("\r\n").append(line);
                continue;
            }
            add(out, field);
            field = new StringBuilder(line);
        }
        add(out, field);
        return out;
    }

    private static void add(List<String[]> out, StringBuilder field) {
        if (field == null) {
            return;
        }
        int colon = field.indexOf(":");
        if (colon <= 0) {
            return;
        }
        String name = field.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        if (SIGNED_SET.contains(name)) {
            out.add(new String[] {name, field.substring(colon + 1)});
        }
    }

    /** RFC 6376 §3.4.2: lower-case name, unfolded value, runs of WSP as one SP, trimmed. */
    static String relaxedHeader(String name, String value) {
        String unfolded = value.replace("\r\n", "");
        return name.toLowerCase(Locale.ROOT).trim() + ":" + trimWsp(unfolded.replaceAll("[ \t]+", " "));
    }

    private static String trimWsp(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    /** RFC 6376 §3.4.4: WSP runs as one SP, none at line ends, no empty lines at the end. */
    static byte[] relaxedBody(byte[] m, int start) {
        String body = new String(m, start, m.length - start, StandardCharsets.ISO_8859_1);
        String[] lines = body.split("\r\n", -1);
        int last = lines.length - 1;
        while (last >= 0 && lines[last].replaceAll("[ \t]+", "").isEmpty()) {
            last--;
        }
        var out = new StringBuilder();
        for (int i = 0; i <= last; i++) {
            String line = lines[i].replaceAll("[ \t]+", " ");
            if (line.endsWith(" ")) {
                line = line.substring(0, line.length() - 1);
            }
            out.append(line).append("\r\n");
        }
        // ISO-8859-1 maps every byte to one char and back, so 8-bit content hashes as sent.
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
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

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
