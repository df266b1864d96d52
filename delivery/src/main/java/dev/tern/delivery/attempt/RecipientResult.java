package dev.tern.delivery.attempt;

import dev.tern.common.queue.QueuedRecipient;
import dev.tern.smtp.reply.Reply;
import java.util.Objects;

/**
 * How one attempt ended for one recipient, with what the event ledger needs to say about it.
 * Made through the factories, which say what happened: {@link #delivered}, {@link #failed},
 * {@link #notAttempted}, {@link #alreadyDelivered}.
 *
 * @param recipient the recipient as queued
 * @param reply     the reply that decided it (remote, or local such as 5.1.2 or 4.4.2)
 * @param delivered the next hop accepted it (2xx after the data, or found in the journal)
 * @param attempted false when no delivery was tried (journal hit, suspended, throttled, expired
 *                  before trying): such results are not counted as attempts in metrics
 * @param context   destination, host and TLS of the attempt, as far as it got
 * @param latencyMs from the start of the message's attempt to this outcome
 * @param purged    deleted by an operator's purge order: no retry, no DSN
 */
public record RecipientResult(QueuedRecipient recipient, Reply reply, boolean delivered, boolean attempted,
        AttemptContext context, long latencyMs, boolean purged) {

    private static final Reply JOURNALED = Reply.of(250, "2.0.0", "Already delivered (journal)");
    private static final Reply PURGED = Reply.of(550, "5.7.1", "Purged from the queue by the operator");

    public RecipientResult {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(context, "context");
    }

    public RecipientResult(QueuedRecipient recipient, Reply reply, boolean delivered, boolean attempted,
            AttemptContext context, long latencyMs) {
        this(recipient, reply, delivered, attempted, context, latencyMs, false);
    }

    /** Deleted by an operator's purge order (docs/ARCHITECTURE.md, "Queue actions"). */
    public static RecipientResult purged(QueuedRecipient r, AttemptContext where) {
        return new RecipientResult(r, PURGED, false, false, where, 0, true);
    }

    /** The next hop accepted the recipient. */
    public static RecipientResult delivered(QueuedRecipient r, Reply reply, AttemptContext where, long latencyMs) {
        return new RecipientResult(r, reply, true, true, where, latencyMs);
    }

    /** Tried and refused (or the connection failed): {@code reply}'s class tells retry from bounce. */
    public static RecipientResult failed(QueuedRecipient r, Reply reply, AttemptContext where, long latencyMs) {
        return new RecipientResult(r, reply, false, true, where, latencyMs);
    }

    /** Not tried at all (suspended, throttled, expired, unroutable for now): no attempt is used up. */
    public static RecipientResult notAttempted(QueuedRecipient r, Reply reply, AttemptContext where, long latencyMs) {
        return new RecipientResult(r, reply, false, false, where, latencyMs);
    }

    /** Delivered by an earlier run of this record, as the journal says (crash recovery). */
    public static RecipientResult alreadyDelivered(QueuedRecipient r) {
        return new RecipientResult(r, JOURNALED, true, false, AttemptContext.NONE, 0);
    }

    public String destination() {
        return context.destination();
    }

    public String destinationClass() {
        return context.destinationClass();
    }

    public String transport() {
        return context.transport();
    }

    public String mxHost() {
        return context.mxHost();
    }

    public String mxIp() {
        return context.mxIp();
    }

    public String tls() {
        return context.tls();
    }

    public boolean transientFailure() {
        return !delivered && !purged && reply.codeClass() != 5;
    }

    public boolean permanentFailure() {
        return !delivered && !purged && reply.codeClass() == 5;
    }
}
