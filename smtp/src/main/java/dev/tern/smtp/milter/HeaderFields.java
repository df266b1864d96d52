package dev.tern.smtp.milter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A message split into its header fields and body (RFC 5322 §2.1), as the milter conversation
 * sends it and as {@link MessageEditor} rewrites it. Each field keeps its raw bytes, so fields no
 * milter touched come out byte for byte as they went in.
 *
 * @param fields    the header fields in order
 * @param bodyStart offset of the body in the message (after the empty line), or its length when
 *                  the message has no body
 */
public record HeaderFields(List<Field> fields, int bodyStart) {

    /**
     * One header field.
     *
     * @param name  the field name as written
     * @param value everything after the colon, folds as CRLF, without the final CRLF
     * @param raw   the whole field with its final CRLF
     */
    public record Field(String name, String value, byte[] raw) {
    }

    public static HeaderFields parse(byte[] message) {
        var fields = new ArrayList<Field>();
        int at = 0;
        while (at < message.length) {
            int end = lineEnd(message, at);
            if (end == at) {
                return new HeaderFields(fields, Math.min(message.length, skipNewline(message, at)));
            }
            int next = skipNewline(message, end);
            while (next < message.length && (message[next] == ' ' || message[next] == '\t')) {
                end = lineEnd(message, next);
                next = skipNewline(message, end);
            }
            String text = new String(message, at, end - at, StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            byte[] raw = new byte[next - at];
            System.arraycopy(message, at, raw, 0, raw.length);
            if (colon > 0) {
                fields.add(new Field(text.substring(0, colon).strip(), text.substring(colon + 1), raw));
            } else {
                // Not a header line: the header block has ended without an empty line.
                return new HeaderFields(fields, at);
            }
            at = next;
        }
        return new HeaderFields(fields, message.length);
    }

    private static int lineEnd(byte[] m, int from) {
        for (int i = from; i < m.length; i++) {
            if (m[i] == '\n') {
                return i > from && m[i - 1] == '\r' ? i - 1 : i;
            }
        }
        return m.length;
    }

    private static int skipNewline(byte[] m, int at) {
        if (at < m.length && m[at] == '\r') {
            at++;
        }
        if (at < m.length && m[at] == '\n') {
            at++;
        }
        return at;
    }
}
