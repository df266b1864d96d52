package dev.tern.ingress.dkim;

import dev.tern.ingress.text.CharRuns;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DKIM canonicalisation (RFC 6376 §3.4) of header fields and the split of a message into header
 * fields and body, shared by {@link DkimSigner} and {@link DkimVerifier} so that both hash exactly
 * the same bytes. Bodies are canonicalised incrementally by {@link DkimBodyHasher}.
 */
public final class DkimCanonicalizer {

    /** The two canonicalisation algorithms of the {@code c=} tag. */
    public enum Canonicalization {
        SIMPLE, RELAXED;

        /** The tag value, e.g. {@code relaxed}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One header field as it appears in the message, decoded as ISO-8859-1 (one char per byte,
     * so 8-bit header bytes hash exactly as sent).
     *
     * @param name  the field name as written (case and any white space before the colon kept)
     * @param value everything after the colon, folding CRLFs kept, without the final CRLF
     */
    public record Field(String name, String value) {

        /** The field name in lower case, without surrounding white space: what {@code h=} lists. */
        public String key() {
            return name.trim().toLowerCase(Locale.ROOT);
        }
    }

    private DkimCanonicalizer() {
    }

    /** Offset of the body (after the blank line), or -1 for a message that is all header. */
    public static int bodyStart(byte[] m) {
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

    /** Where the header section ends: the body start, or the whole message when it has no body. */
    public static int headerEnd(byte[] m) {
        int start = bodyStart(m);
        return start < 0 ? m.length : start;
    }

    /** The header fields of {@code m[0, end)} in message order; lines without a colon are skipped. */
    public static List<Field> headers(byte[] m, int end) {
        String text = new String(m, 0, end, StandardCharsets.ISO_8859_1);
        List<Field> out = new ArrayList<>();
        StringBuilder field = null;
        // Lines end at CRLF only (a bare LF stays inside its line, as it was signed); no regex
        // split, since this runs for every inbound message.
        for (int at = 0, crlf; at <= text.length(); at = crlf + 2) {
            crlf = text.indexOf("\r\n", at);
            if (crlf < 0) {
                crlf = text.length();
            }
            String line = text.substring(at, crlf);
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

    private static void add(List<Field> out, StringBuilder field) {
        if (field == null) {
            return;
        }
        int colon = field.indexOf(":");
        if (colon > 0) {
            out.add(new Field(field.substring(0, colon), field.substring(colon + 1)));
        }
    }

    /** {@code field} canonicalised by {@code c}, without the trailing CRLF. */
    public static String header(Canonicalization c, Field field) {
        return c == Canonicalization.SIMPLE ? field.name() + ":" + field.value()
                : relaxedHeader(field.name(), field.value());
    }

    /** RFC 6376 §3.4.2: lower-case name, unfolded value, runs of WSP as one SP, trimmed. */
    public static String relaxedHeader(String name, String value) {
        String unfolded = value.replace("\r\n", "");
        return name.toLowerCase(Locale.ROOT).trim() + ":" + trimWsp(CharRuns.collapse(unfolded, " \t"));
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
}
