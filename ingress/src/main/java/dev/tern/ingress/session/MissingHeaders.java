package dev.tern.ingress.session;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What a submission server adds to a message from a mail client that left it out (RFC 6409 §8.2
 * Date, §8.3 Message-ID): MUAs are allowed to, and a message without them is rejected or scored
 * down by many receivers. Only the header section is looked at; header names are matched
 * case-insensitively at line starts, continuation lines are skipped.
 */
final class MissingHeaders {

    private static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH);

    private MissingHeaders() {
    }

    /** The header lines to prepend to {@code message} (possibly empty), CRLF-terminated. */
    static String forSubmission(byte[] message, int length, String queueId, String hostname, ZonedDateTime now) {
        boolean messageId = false;
        boolean date = false;
        int lineStart = 0;
        for (int i = 0; i < length; i++) {
            if (message[i] != '\n') {
                continue;
            }
            int end = i > 0 && message[i - 1] == '\r' ? i - 1 : i;
            if (end == lineStart) {
                break; // empty line: end of the header section
            }
            messageId |= startsWithName(message, lineStart, end, "message-id:");
            date |= startsWithName(message, lineStart, end, "date:");
            lineStart = i + 1;
        }
        var out = new StringBuilder();
        if (!date) {
            out.append("Date: ").append(RFC5322_DATE.format(now)).append("\r\n");
        }
        if (!messageId) {
            out.append("Message-ID: <").append(queueId).append('@').append(hostname).append(">\r\n");
        }
        return out.toString();
    }

    private static boolean startsWithName(byte[] m, int start, int end, String name) {
        if (end - start < name.length()) {
            return false;
        }
        String head = new String(m, start, name.length(), StandardCharsets.ISO_8859_1);
        return head.equalsIgnoreCase(name);
    }
}
