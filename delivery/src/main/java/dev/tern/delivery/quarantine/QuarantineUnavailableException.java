package dev.tern.delivery.quarantine;

/** Kafka did not answer a quarantine read or write in time: the request may be retried (503). */
public final class QuarantineUnavailableException extends Exception {

    public QuarantineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
