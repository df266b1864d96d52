package dev.tern.ingress.trust.greylist;

import java.time.Duration;

/**
 * The outcome of greylisting one recipient: pass, or defer with a 4xx and how long the sender
 * should wait. {@code outcome} says why, for the reply text and a metric label.
 */
public record GreylistVerdict(Outcome outcome, Duration retryAfter) {

    public enum Outcome {
        /** Greylisting is off. */
        DISABLED(true),
        /** Client network, sender domain or recipient domain is whitelisted. */
        WHITELISTED(true),
        /** The triplet passed before and has not expired. */
        KNOWN(true),
        /** A retry after the delay and within the retry window: the triplet passes from now on. */
        RETRIED(true),
        /**
         * The triplet store did not answer (Infinispan down or slow): pass rather than defer all
         * mail for our own outage. Count it: while it lasts, greylisting protects nothing.
         */
        STORE_UNAVAILABLE(true),
        /** A triplet never seen: defer, and remember it. */
        FIRST_SEEN(false),
        /** A retry before the delay has passed: defer for the rest of it. */
        TOO_EARLY(false),
        /** A triplet seen so long ago that its retry window or pass lifetime ended: start over. */
        EXPIRED(false);

        private final boolean passes;

        Outcome(boolean passes) {
            this.passes = passes;
        }

        public boolean passes() {
            return passes;
        }
    }

    static GreylistVerdict pass(Outcome outcome) {
        return new GreylistVerdict(outcome, Duration.ZERO);
    }

    static GreylistVerdict defer(Outcome outcome, Duration retryAfter) {
        return new GreylistVerdict(outcome, retryAfter);
    }

    public boolean passes() {
        return outcome.passes();
    }

    /** E.g. {@code Greylisted, please try again in 300 seconds}, for a 450 4.7.1 reply. */
    public String replyText() {
        return "Greylisted, please try again in " + Math.max(1, retryAfter.toSeconds()) + " seconds";
    }
}
