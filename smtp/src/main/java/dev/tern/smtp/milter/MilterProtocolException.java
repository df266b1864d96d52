package dev.tern.smtp.milter;

/** The milter broke the protocol: a malformed packet, or a reply that does not fit the step. */
public final class MilterProtocolException extends RuntimeException {

    public MilterProtocolException(String message) {
        super(message);
    }
}
