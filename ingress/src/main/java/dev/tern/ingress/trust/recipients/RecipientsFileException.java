package dev.tern.ingress.trust.recipients;

/** The recipients file cannot be read or has a line that is neither an address nor {@code @domain}. */
public final class RecipientsFileException extends RuntimeException {

    public RecipientsFileException(String message) {
        super(message);
    }
}
