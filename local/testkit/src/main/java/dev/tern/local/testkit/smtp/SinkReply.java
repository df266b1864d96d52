package dev.tern.local.testkit.smtp;

/**
 * A reply the {@link SmtpSink} sends: a three-digit code and its text (which should begin with
 * an RFC 3463 enhanced status code, e.g. {@code "4.7.0 slow down"}). Multi-line text is sent as
 * a multi-line reply (RFC 5321 §4.2.1).
 *
 * <p>A {@code 421} reply closes the connection after it is sent, as RFC 5321 §3.8 requires of a
 * server that is shutting the channel down.
 */
public record SinkReply(int code, String text) {

    public SinkReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("SMTP reply code out of range: " + code);
        }
        text = text == null ? "" : text;
    }

    public static SinkReply of(int code, String text) {
        return new SinkReply(code, text);
    }

    public boolean isPositive() {
        return code < 400;
    }

    boolean closesConnection() {
        return code == 421;
    }

    /** The reply as sent on the wire, CRLF-terminated lines. */
    String wire() {
        String[] lines = text.split("\r?\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            out.append(code).append(i == lines.length - 1 ? ' ' : '-').append(lines[i]).append("\r\n");
        }
        return out.toString();
    }
}
