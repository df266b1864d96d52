package dev.tern.ingress.trust.recipients;

import dev.tern.smtp.reply.Reply;

/**
 * The result of validating one recipient: the refusal to send (null to accept), how it was
 * decided (a bounded label for metrics), whether a cached callout verdict decided it, and a detail
 * for logs (the callout's server reply or failure; may name internal hosts, never sent to the client).
 */
public record RecipientCheck(Reply refusal, Outcome outcome, boolean cached, String detail) {

    /** How a recipient was decided. */
    public enum Outcome {
        /** Not a local domain, or neither the list nor the callout is configured: accepted unchecked. */
        NOT_VALIDATED,
        /** postmaster@ a local domain: always accepted (RFC 5321 §4.5.1). */
        POSTMASTER,
        /** In the recipients file, and no callout configured. */
        LISTED,
        /** Not in the recipients file: 550 5.1.1. */
        NOT_LISTED,
        /** The recipients file never loaded: 451 4.3.0. */
        LIST_UNAVAILABLE,
        CALLOUT_VALID,
        CALLOUT_UNKNOWN,
        CALLOUT_DEFERRED,
        CALLOUT_UNREACHABLE,
        /** Routed by MX or not expressible to the server: accepted unchecked. */
        CALLOUT_NOT_CHECKED;

        static Outcome of(CalloutVerdict verdict) {
            return switch (verdict) {
                case VALID -> CALLOUT_VALID;
                case UNKNOWN -> CALLOUT_UNKNOWN;
                case DEFERRED -> CALLOUT_DEFERRED;
                case UNREACHABLE -> CALLOUT_UNREACHABLE;
                case NOT_CHECKED -> CALLOUT_NOT_CHECKED;
            };
        }
    }

    public boolean accepted() {
        return refusal == null;
    }

    static RecipientCheck accept(Outcome outcome, String detail) {
        return new RecipientCheck(null, outcome, false, detail);
    }
}
