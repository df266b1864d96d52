package dev.tern.ingress.session;

import java.nio.charset.StandardCharsets;

/**
 * The value of one header field of a message as queued (RFC 5322 §2.2): the first field of that
 * name in the header section, matched case-insensitively, folded lines joined, trimmed. Only the
 * header section is read.
 */
final class HeaderValue {

    private HeaderValue() {
    }

    /** The field's value, or null when the header section has no field called {@code name}. */
    static String of(byte[] message, String name) {
        String prefix = name + ":";
        StringBuilder value = null;
        int lineStart = 0;
        for (int i = 0; i <= message.length; i++) {
            if (i < message.length && message[i] != '\n') {
                continue;
            }
            int end = i > 0 && i <= message.length && message[i - 1] == '\r' ? i - 1 : i;
            if (end <= lineStart) {
                break; // empty line (or the end): the header section is over
            }
            boolean continuation = message[lineStart] == ' ' || message[lineStart] == '\t';
            if (value != null) {
                if (!continuation) {
                    break;
                }
                value.append(' ').append(text(message, lineStart, end).trim());
            } else if (!continuation && end - lineStart >= prefix.length()
                    && text(message, lineStart, lineStart + prefix.length()).equalsIgnoreCase(prefix)) {
                value = new StringBuilder(text(message, lineStart + prefix.length(), end).trim());
            }
            lineStart = i + 1;
        }
        return value == null ? null : value.toString().trim();
    }

    private static String text(byte[] m, int from, int to) {
        return new String(m, from, to - from, StandardCharsets.UTF_8);
    }
}
