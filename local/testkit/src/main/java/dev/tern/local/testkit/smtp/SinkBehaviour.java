package dev.tern.local.testkit.smtp;

import java.util.function.Predicate;

/**
 * Chooses the {@link SmtpSink}'s reply at each {@link SinkRequest.Stage}; this is how delivery
 * tests script a remote server ("451 first, 250 later", "550 for this recipient", "421 now").
 *
 * <p>Return null to give the sink's default (positive) reply. Called concurrently from the
 * sink's connection threads, so implementations must be thread-safe; {@link SinkRequest#attempt()}
 * is already counted by the sink, so most behaviours need no state of their own.
 */
@FunctionalInterface
public interface SinkBehaviour {

    SinkReply reply(SinkRequest request);

    /** Accepts everything. */
    static SinkBehaviour acceptAll() {
        return request -> null;
    }

    /** Answers {@code reply} to the first {@code failures} RCPT attempts of each recipient, then accepts. */
    static SinkBehaviour failRecipientFirst(int failures, SinkReply reply) {
        return r -> r.stage() == SinkRequest.Stage.RCPT && r.attempt() <= failures ? reply : null;
    }

    /** Answers {@code reply} at RCPT for every recipient matching {@code recipients}. */
    static SinkBehaviour rejectRecipients(Predicate<String> recipients, SinkReply reply) {
        return r -> r.stage() == SinkRequest.Stage.RCPT && recipients.test(r.recipient()) ? reply : null;
    }

    /** Uses this behaviour's reply where it has one, else {@code other}'s. */
    default SinkBehaviour orElse(SinkBehaviour other) {
        return r -> {
            SinkReply mine = reply(r);
            return mine != null ? mine : other.reply(r);
        };
    }
}
