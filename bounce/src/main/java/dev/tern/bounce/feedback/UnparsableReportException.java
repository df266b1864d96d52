package dev.tern.bounce.feedback;

/** Mail at the bounce address that is not a report Tern can read; counted and logged, never retried. */
public final class UnparsableReportException extends RuntimeException {

    public UnparsableReportException(String message) {
        super(message);
    }
}
