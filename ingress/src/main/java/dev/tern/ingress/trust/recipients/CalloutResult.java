package dev.tern.ingress.trust.recipients;

/**
 * A callout's {@link CalloutVerdict} and, for logs, what led to it (the server's reply, or the
 * I/O failure). The detail names the internal server, so it goes to logs, never to the client.
 */
public record CalloutResult(CalloutVerdict verdict, String detail) {

    public static CalloutResult of(CalloutVerdict verdict, String detail) {
        return new CalloutResult(verdict, detail);
    }
}
