package dev.tern.smtp.client;

/**
 * The remote server broke the SMTP reply grammar (RFC 5321 §4.2) or our resource bounds.
 *
 * <p>Thrown by {@link ReplyParser}; {@link ClientSession} turns it into a transient
 * {@link LocalReplies#protocolError(String)} outcome, because a server that cannot frame its replies
 * cannot be trusted to have accepted anything. Unchecked so that it can cross I/O callbacks.
 */
public final class SmtpProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SmtpProtocolException(String message) {
        super(message);
    }
}
