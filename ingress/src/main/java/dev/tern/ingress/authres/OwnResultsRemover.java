package dev.tern.ingress.authres;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Removes {@code Authentication-Results:} fields that claim our authserv-id from a message's
 * header section before we add our own (RFC 8601 §5): a sender could otherwise forge "our"
 * verdict and a mail store that trusts our id would believe it. Fields of other authserv-ids
 * stay. The body is never touched, and a message without such a field is returned as is.
 */
public final class OwnResultsRemover {

    private OwnResultsRemover() {
    }

    public static byte[] remove(byte[] message, String authservId) {
        String id = authservId.toLowerCase(Locale.ROOT);
        int end = headerEnd(message);
        ByteArrayOutputStream out = null;
        int copied = 0;
        int pos = 0;
        while (pos < end) {
            int fieldEnd = fieldEnd(message, pos, end);
            if (claims(message, pos, fieldEnd, id)) {
                if (out == null) {
                    out = new ByteArrayOutputStream(message.length);
                }
                out.write(message, copied, pos - copied);
                copied = fieldEnd;
            }
            pos = fieldEnd;
        }
        if (out == null) {
            return message;
        }
        out.write(message, copied, message.length - copied);
        return out.toByteArray();
    }

    /** Offset of the blank line ending the header section (or the end of the message). */
    private static int headerEnd(byte[] m) {
        int lineStart = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\n') {
                int len = i - lineStart;
                if (len == 0 || (len == 1 && m[lineStart] == '\r')) {
                    return lineStart;
                }
                lineStart = i + 1;
            }
        }
        return m.length;
    }

    /** The offset after a field starting at {@code start}: past its last line, folded lines included. */
    private static int fieldEnd(byte[] m, int start, int end) {
        int i = start;
        while (i < end) {
            while (i < end && m[i] != '\n') {
                i++;
            }
            i = Math.min(end, i + 1);
            if (i >= end || (m[i] != ' ' && m[i] != '\t')) {
                return i;
            }
        }
        return end;
    }

    private static boolean claims(byte[] m, int start, int end, String id) {
        String name = AuthenticationResults.NAME.toLowerCase(Locale.ROOT);
        int colon = -1;
        for (int i = start; i < end && i - start <= name.length() + 8; i++) {
            if (m[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            return false;
        }
        String field = new String(m, start, colon - start, StandardCharsets.ISO_8859_1).strip();
        if (!field.equalsIgnoreCase(name)) {
            return false;
        }
        // The authserv-id is the first token of the value, before ';' (RFC 8601 §2.2), possibly after CFWS.
        String value = new String(m, colon + 1, end - colon - 1, StandardCharsets.ISO_8859_1)
                .replaceAll("\\([^)]*\\)", " ").strip();
        int semi = value.indexOf(';');
        String first = (semi < 0 ? value : value.substring(0, semi)).strip();
        int space = first.indexOf(' ');
        if (space > 0) {
            first = first.substring(0, space); // authserv-id [ CFWS authres-version ]
        }
        if (first.length() > 1 && first.startsWith("\"") && first.endsWith("\"")) {
            first = first.substring(1, first.length() - 1);
        }
        return first.toLowerCase(Locale.ROOT).equals(id);
    }
}
