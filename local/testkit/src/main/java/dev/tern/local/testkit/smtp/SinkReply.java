package dev.tern.local.testkit.smtp;

/**
 * A reply the {@link SmtpSink} sends: a three-digit code and its text (which should begin with
 * an RFC 3463 enhanced status code, e.g. {@code "4.7.0 slow down"}). Multi-line text is sent as
 * a multi-line reply (RFC 5321 §4.2.1).
 *
 * <p>A {@code 421} reply closes the connection after it is sent, as RFC 5321 §3.8 requires of a
 * server that is shutting the channel down.
 *
 * <p>Two replies are faults instead of answers, for tests of what a client does when the remote
 * breaks: {@link #resetConnection()} aborts the TCP connection (RST, no reply) and
 * {@link #hang()} stops reading and answering until the client gives up or the sink's idle
 * timeout passes, then drops the connection. Neither records the message.
 */
public record SinkReply(int code, String text, Fault fault) {

    /** What the sink does instead of answering. */
    public enum Fault {
        /** Answer normally. */
        NONE,
        /** Abort the connection with a TCP reset, answering nothing. */
        RESET,
        /** Read and answer nothing more; drop the connection when the client closes or at the idle timeout. */
        HANG
    }

    public SinkReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("SMTP reply code out of range: " + code);
        }
        text = text == null ? "" : text;
        fault = fault == null ? Fault.NONE : fault;
    }

    public SinkReply(int code, String text) {
        this(code, text, Fault.NONE);
    }

    public static SinkReply of(int code, String text) {
        return new SinkReply(code, text);
    }

    /** No reply: the connection is aborted with a TCP reset, as a crashing or misbehaving remote does. */
    public static SinkReply resetConnection() {
        return new SinkReply(421, "(connection reset, nothing sent)", Fault.RESET);
    }

    /** No reply and no more reading: the remote stalls, the client's timeout has to end it. */
    public static SinkReply hang() {
        return new SinkReply(421, "(hung, nothing sent)", Fault.HANG);
    }

    public boolean isPositive() {
        return code < 400;
    }

    boolean closesConnection() {
        return code == 421 || fault != Fault.NONE;
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
