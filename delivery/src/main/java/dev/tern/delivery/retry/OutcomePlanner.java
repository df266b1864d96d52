package dev.tern.delivery.retry;

import dev.tern.common.classify.BounceClassifier;
import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.common.queue.DurationText;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.delivery.attempt.RecipientResult;
import dev.tern.smtp.reply.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the per-recipient results of one attempt into a {@link Disposition} (docs/ARCHITECTURE.md,
 * "Delivery rules"; RFC 5321 §4.5.4 and §6):
 * <ul>
 *   <li>2xx → {@link Outcome#DELIVERED};</li>
 *   <li>4xx → {@link Outcome#DEFERRED}: a retry record with only the deferred recipients, each
 *       carrying its last reply, on the tier of {@link RetryLadder}, due at now + the tier's delay;</li>
 *   <li>4xx when the message is older than {@code max-queue-lifetime} → {@link Outcome#EXPIRED}:
 *       to {@code tern.failed} with {@code 4.4.7} and the last reply in the text;</li>
 *   <li>5xx → {@link Outcome#BOUNCED}: to {@code tern.failed} with the remote reply;</li>
 *   <li>recipients not tried at all (suspended destination) are deferred without counting an
 *       attempt: they wait on the tier they would have used after the previous attempt;</li>
 *   <li>purged by the operator → {@link Outcome#PURGED}: neither retried nor bounced;</li>
 *   <li>bounced or expired with the null sender {@code <>} → {@link Outcome#DROPPED}: never to
 *       {@code tern.failed}, so a bounce can never cause another bounce (RFC 5321 §6.1).</li>
 * </ul>
 * Every failure's event carries its category from the policy's {@link BounceClassifier}
 * (docs/ARCHITECTURE.md, "Bounce classification"); an expiry is classified by its last error.
 * Pure and stateless: the clock and policy values are arguments.
 */
public final class OutcomePlanner {

    private OutcomePlanner() {
    }

    public static Disposition plan(QueuedMessage m, List<RecipientResult> results, RetryLadder ladder,
            Duration maxQueueLifetime, BounceClassifier classifier, Instant now) {
        // Nothing tried (destination suspended, every recipient already journaled): no attempt used up,
        // so an operator's suspension does not push mail up the ladder.
        boolean tried = results.stream().anyMatch(RecipientResult::attempted);
        int attempt = m.schedule().attempt() + (tried ? 1 : 0);
        boolean expired = !now.isBefore(m.schedule().firstReceived().plus(maxQueueLifetime));
        var events = new ArrayList<DeliveryEvent>();
        var deferred = new ArrayList<QueuedRecipient>();
        var failed = new ArrayList<QueuedRecipient>();
        for (RecipientResult r : results) {
            Outcome outcome;
            Reply reply = r.reply();
            if (r.delivered()) {
                outcome = Outcome.DELIVERED;
            } else if (r.purged()) {
                outcome = Outcome.PURGED;
            } else if (r.transientFailure() && !expired) {
                outcome = Outcome.DEFERRED;
                deferred.add(r.recipient().withLastReply(reply, r.mxHost()));
            } else {
                if (r.transientFailure()) {
                    reply = expiry(reply, maxQueueLifetime);
                    outcome = Outcome.EXPIRED;
                } else {
                    outcome = Outcome.BOUNCED;
                }
                if (m.hasNullSender()) {
                    outcome = Outcome.DROPPED;
                } else {
                    failed.add(r.recipient().withLastReply(reply, r.mxHost()));
                }
            }
            events.add(new DeliveryEvent(m.id(), r.recipient().address(), m.sender(), r.destination(),
                    r.transport(), r.mxHost(), r.mxIp(), r.tls(), reply.code(), reply.text(), attempt,
                    r.latencyMs(), outcome, now.toEpochMilli(),
                    outcome == Outcome.DELIVERED ? null : classifier.classify(reply).category().label()));
        }
        QueuedMessage retry = null;
        String retryTopic = null;
        if (!deferred.isEmpty()) {
            int rung = Math.max(1, attempt);
            retry = m.forRetry(deferred, attempt, now.plus(ladder.delayAfter(rung)));
            retryTopic = ladder.topicAfter(rung);
        }
        QueuedMessage failure = failed.isEmpty() ? null : m.forRetry(failed, attempt, null);
        return new Disposition(events, retry, retryTopic, failure);
    }

    /** {@code 4.4.7} for a message that stayed queued too long, keeping the last reply for the DSN. */
    static Reply expiry(Reply last, Duration lifetime) {
        if (last.status() != null && last.status().toString().equals("4.4.7")) {
            return last;
        }
        return Reply.of(451, "4.4.7", "Message expired after " + DurationText.format(lifetime)
                + " in the queue; last error: " + last);
    }
}
