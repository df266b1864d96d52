package dev.tern.delivery.admin;

import dev.tern.common.policy.Policy;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.Topics;
import dev.tern.delivery.route.Router;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The queue actions behind the admin API (docs/ARCHITECTURE.md, "Queue actions"): counting the
 * waiting mail an action covers, and making retry-tier mail due at once.
 *
 * <p>Making mail due (retry-now, and after a reroute or release): a tier partition is paused until
 * its head is due, and its other records must keep their schedule, so the matching recipients of
 * each waiting tier record not due within a few seconds are copied to {@code tern.inbound} (same queue id, attempts
 * kept, due now), and only once Kafka acknowledged every copy a {@code moved} order on
 * {@code tern.control} tells every pod to leave those recipients out when it meets the original.
 * A kill -9 between the two leaves both records: the copy is delivered now and the original's
 * recipients, when it comes due, are found in the delivery journal (same queue id), so nothing is
 * lost and nothing is delivered twice outside the journal's usual window. Blocking; call from a
 * worker thread.
 */
public final class QueueActions {

    private static final Logger LOG = Logger.getLogger(QueueActions.class);
    /** Copied records per {@code moved} order: keeps each control record small. */
    private static final int MOVED_PER_ORDER = 500;
    private static final long ACK_WAIT_SECONDS = 30;
    /**
     * Records due sooner than this are left alone: a pod may start one before it learns of the
     * {@code moved} order, and both runs would then attempt the recipients (the journal catches
     * most of that, but not all).
     */
    private static final Duration DUE_MARGIN = Duration.ofSeconds(5);

    /**
     * What one action found.
     *
     * @param matched distinct queue ids waiting with a covered recipient
     * @param moved   distinct queue ids whose covered recipients were made due at once
     */
    public record Result(int matched, int moved, boolean truncated) {
    }

    private final DeliveryOperations service;
    private final QueueScan scan;
    private final Clock clock;

    public QueueActions(DeliveryOperations service, QueueScan scan, Clock clock) {
        this.service = service;
        this.scan = scan;
        this.clock = clock;
    }

    /** Counts the waiting messages {@code selector} covers that were received up to now. */
    public Result count(QueueSelector selector) throws Exception {
        return run(selector, false);
    }

    /** Counts them, and makes the covered recipients waiting on retry tiers due at once. */
    public Result makeDue(QueueSelector selector) throws Exception {
        return run(selector, true);
    }

    /**
     * How long an order about queued mail must stay in force: every message received before it is
     * delivered, failed or expired within the queue lifetime, and met again at most one tier delay later.
     */
    public static Duration orderLifetime(Policy policy) {
        Duration longest = policy.retry().stream().max(Duration::compareTo).orElse(Duration.ZERO);
        return policy.maxQueueLifetime().plus(longest);
    }

    private Result run(QueueSelector selector, boolean move) throws Exception {
        Policy policy = service.policy().current();
        OperatorControls controls = service.controls();
        Instant now = clock.instant();
        Instant until = now.plus(orderLifetime(policy));
        Set<String> matched = new HashSet<>();
        Set<String> moved = new HashSet<>();
        var copies = new ArrayList<CompletableFuture<List<String>>>();
        var summary = scan.scan(service.consumedTopics(), found -> {
            QueuedMessage m = found.message();
            if (m.schedule().firstReceived().isAfter(now)) {
                return;
            }
            String topic = found.partition().topic();
            int partition = found.partition().partition();
            Set<String> gone = controls.movedRecipients(topic, partition, found.offset(), now);
            var covered = new ArrayList<QueuedRecipient>();
            for (QueuedRecipient r : m.recipients()) {
                String routed = Router.destinationName(r.domain(), policy, controls);
                // Recipients moved to tern.inbound are counted there; purged ones are gone already.
                if (!gone.contains(r.address()) && !controls.purged(m, r, routed, now)
                        && selector.matches(m, r, routed)) {
                    covered.add(r);
                }
            }
            if (covered.isEmpty()) {
                return;
            }
            matched.add(m.id());
            Instant due = m.schedule().notBefore();
            if (move && topic.startsWith(Topics.RETRY_PREFIX) && due != null
                    && due.isAfter(clock.instant().plus(DUE_MARGIN))) {
                var entries = covered.stream()
                        .map(r -> OperatorControls.movedEntry(topic, partition, found.offset(), r.address())).toList();
                copies.add(service.requeue(m.forRetry(covered, m.schedule().attempt(), null))
                        .thenApply(v -> {
                            synchronized (moved) {
                                moved.add(m.id());
                            }
                            return entries;
                        }));
                // Marked as the scan goes, so an original does not come due long before its order.
                if (copies.size() >= MOVED_PER_ORDER) {
                    publishMoved(copies, until);
                }
            }
        });
        publishMoved(copies, until);
        return new Result(matched.size(), moved.size(), summary.truncated());
    }

    /**
     * Waits for {@code copies} and publishes one {@code moved} order for those Kafka acknowledged
     * (an original whose copy failed keeps its recipients); empties {@code copies}.
     */
    private void publishMoved(List<CompletableFuture<List<String>>> copies, Instant until) {
        var entries = new ArrayList<String>();
        for (var copy : copies) {
            try {
                entries.addAll(copy.get(ACK_WAIT_SECONDS, TimeUnit.SECONDS));
            } catch (Exception e) {
                LOG.warnf("a copy to tern.inbound failed; its original keeps its schedule: %s", e.toString());
            }
        }
        copies.clear();
        if (entries.isEmpty()) {
            return;
        }
        try {
            service.command(ControlCommand.moved(entries, clock.millis(), until.toEpochMilli()))
                    .get(ACK_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Applied on this pod already; other pods meet both records and the journal answers for the copy.
            throw new IllegalStateException("the moved order was not published: " + e, e);
        }
    }
}
