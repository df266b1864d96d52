package dev.tern.smtp.reply;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One SMTP reply: a three-digit code (RFC 5321 §4.2), an optional RFC 3463 enhanced status code,
 * and one or more text lines.
 *
 * <p>{@link #toWire()} renders the multi-line form {@code 250-first CRLF ... 250 last CRLF}, with
 * the enhanced status code repeated on each line as RFC 2034 §4 asks. Immutable and thread-safe.
 */
public record Reply(int code, EnhancedStatus status, List<String> lines) {

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one line");
        }
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("reply text must not contain CR or LF");
            }
        }
    }

    /** A single-line reply with an enhanced status code, e.g. {@code of(550, "5.7.1", "Relay denied")}. */
    public static Reply of(int code, String status, String text) {
        return new Reply(code, status == null ? null : EnhancedStatus.parse(status), List.of(text));
    }

    /** A single-line reply without an enhanced status code (greeting, 354, 334). */
    public static Reply of(int code, String text) {
        return new Reply(code, null, List.of(text));
    }

    public static Reply multiline(int code, String status, List<String> lines) {
        return new Reply(code, status == null ? null : EnhancedStatus.parse(status), lines);
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isIntermediate() {
        return code >= 300 && code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** The first digit: 2, 3, 4 or 5. */
    public int codeClass() {
        return code / 100;
    }

    /** All lines joined with a space, enhanced status code in front: for logs, events and DSNs. */
    public String text() {
        String joined = String.join(" ", lines);
        return status == null ? joined : status + " " + joined;
    }

    /** The bytes to send, CRLF-terminated, multi-line form when there is more than one line. */
    public byte[] toWire() {
        var out = new StringBuilder(64);
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (status != null) {
                out.append(status).append(' ');
            }
            out.append(lines.get(i)).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return code + " " + text();
    }
}
