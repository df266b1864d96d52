package dev.tern.delivery.consume;

import dev.tern.common.kafka.PartitionHolds;
import dev.tern.common.kafka.PollLoop;
import dev.tern.common.queue.MalformedRecordException;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Topics;
import dev.tern.delivery.metrics.DeliveryMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The delivery pod's Kafka consumer: reads {@code tern.inbound} and the retry tiers, hands each
 * record to the send path, and commits offsets only behind records whose outcome is durable
 * (docs/ARCHITECTURE.md, "Durability rules").
 *
 * <ul>
 *   <li>Due times: a retry-tier record whose {@code not-before} is in the future is not started;
 *       the partition is sought back to it and paused until then. Tiers have one fixed delay, so
 *       a partition's records are in due order and its head decides for all.</li>
 *   <li>Bounded work: never more than {@code maxInFlight} records at once (a record fetched beyond
 *       the bound is sought back to); at the bound every partition is paused; the loop keeps
 *       calling {@code poll}, so a slow remote server never makes this member miss
 *       {@code max.poll.interval.ms} and the group never rebalances because of it.</li>
 *   <li>Commits: per partition, the contiguous prefix of finished records ({@link OffsetTracker}),
 *       asynchronously as completions arrive, synchronously on revocation and shutdown.</li>
 *   <li>Rebalance: before giving up partitions the loop waits (bounded) for their records in flight,
 *       then commits, so a scale-up does not redeliver. Completions from an earlier assignment of a
 *       partition are ignored (another member owns it now; the journal covers any overlap).</li>
 *   <li>Moved recipients: recipients of a retry-tier record that an operator's retry-now or release
 *       copied to {@code tern.inbound} ({@link Moved}) are left out; a record whose recipients were
 *       all moved is finished at once, due or not (docs/ARCHITECTURE.md, "Queue actions").</li>
 *   <li>Policy reload: a changed retry ladder changes the subscription at the next check.</li>
 * </ul>
 *
 * <p>Threading: {@link #run()} owns the consumer on its own thread; completions arrive from any
 * thread through a queue. Failure: a record that does not decode is logged and skipped (it could
 * never be delivered); any other exception in the loop is logged and the loop continues.
 */
public final class ConsumerLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration REVOKE_WAIT = Duration.ofSeconds(10);
    private static final Duration COMPLETION_WAIT = Duration.ofMillis(20);

    /** What the loop needs from the send path: deliver one record, complete when durable. */
    public interface Handler extends Function<QueuedMessage, java.util.concurrent.CompletionStage<Void>> {
    }

    /** The recipients of a retry-tier record that were copied to {@code tern.inbound} (empty: none). */
    public interface Moved {
        java.util.Set<String> recipients(TopicPartition partition, long offset, Instant now);
    }

    private record Done(TopicPartition partition, long offset, int epoch, boolean durable) {
    }

    private final Consumer<String, byte[]> consumer;
    private final Supplier<List<String>> topics;
    private final Handler handler;
    private final int maxInFlight;
    private final Clock clock;
    private final DeliveryMetrics metrics;
    private final Moved moved;
    private final Map<TopicPartition, OffsetTracker> trackers = new HashMap<>();
    private final Map<TopicPartition, Integer> epochs = new HashMap<>();
    private final PartitionHolds holds = new PartitionHolds();
    private final ConcurrentLinkedQueue<Done> completions = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final PollLoop loop;
    private List<String> subscribed = List.of();
    private long lastTopicCheck;

    public ConsumerLoop(Consumer<String, byte[]> consumer, Supplier<List<String>> topics, Handler handler,
            int maxInFlight, Clock clock, DeliveryMetrics metrics) {
        this(consumer, topics, handler, maxInFlight, clock, metrics, (tp, offset, now) -> java.util.Set.of());
    }

    public ConsumerLoop(Consumer<String, byte[]> consumer, Supplier<List<String>> topics, Handler handler,
            int maxInFlight, Clock clock, DeliveryMetrics metrics, Moved moved) {
        this.moved = moved;
        this.consumer = consumer;
        this.topics = topics;
        this.handler = handler;
        this.maxInFlight = maxInFlight;
        this.clock = clock;
        this.metrics = metrics;
        this.loop = new PollLoop("delivery consumer", consumer, new PollLoop.Body() {
            @Override
            public void start() {
                subscribeIfChanged();
            }

            @Override
            public void pollOnce() {
                step();
            }

            @Override
            public void finish() {
                drain(Duration.ofSeconds(20));
                commitSync(trackers.keySet());
            }
        }, Duration.ofMillis(500), Duration.ofSeconds(5), true);
    }

    @Override
    public void run() {
        loop.run();
    }

    private void step() {
        if (System.currentTimeMillis() - lastTopicCheck > 5000) {
            subscribeIfChanged();
        }
        holds.apply(consumer, clock.instant(), inFlight.get() >= maxInFlight);
        var records = consumer.poll(POLL);
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                if (!take(tp, r)) {
                    break;
                }
            }
        }
        processCompletions();
        commitAsync();
    }

    /** Starts a record, or pauses its partition until it is due; false stops the partition's batch. */
    private boolean take(TopicPartition tp, ConsumerRecord<String, byte[]> r) {
        OffsetTracker tracker = trackers.get(tp);
        if (tracker == null) {
            return false;
        }
        if (inFlight.get() >= maxInFlight) {
            // Full: leave the record for a later poll; holds.apply() pauses every partition meanwhile.
            consumer.seek(tp, r.offset());
            return false;
        }
        QueuedMessage m;
        try {
            m = RecordCodec.fromRecord(r);
        } catch (MalformedRecordException e) {
            LOG.errorf("skipping undecodable record %s@%d (id %s): %s", tp, r.offset(),
                    RecordCodec.idOf(r.headers()), e.getMessage());
            tracker.started(r.offset());
            tracker.finished(r.offset());
            return true;
        }
        Instant now = clock.instant();
        boolean retryTier = tp.topic().startsWith(Topics.RETRY_PREFIX);
        if (retryTier) {
            var gone = moved.recipients(tp, r.offset(), now);
            if (!gone.isEmpty()) {
                var rest = m.recipients().stream().filter(x -> !gone.contains(x.address())).toList();
                if (rest.isEmpty()) {
                    // Every recipient waits on tern.inbound already (acknowledged before the order was written).
                    tracker.started(r.offset());
                    tracker.finished(r.offset());
                    return true;
                }
                m = m.withRecipients(rest);
            }
        }
        if (retryTier && m.schedule().notBefore() != null && m.schedule().notBefore().isAfter(now)) {
            holds.hold(consumer, tp, r.offset(), m.schedule().notBefore());
            return false;
        }
        if (retryTier && m.schedule().notBefore() != null) {
            metrics.retryLag(tp.topic().substring(Topics.RETRY_PREFIX.length()),
                    Duration.between(m.schedule().notBefore(), now));
        }
        QueuedMessage toSend = m;
        tracker.started(r.offset());
        inFlight.incrementAndGet();
        int epoch = epochs.getOrDefault(tp, 0);
        long offset = r.offset();
        try {
            handler.apply(toSend).whenComplete((v, e) -> {
                if (e != null) {
                    // The handler promises durable completion; an exception here is a bug. Do not
                    // commit past the record: it is re-read after a restart.
                    LOG.errorf(e, "delivery of %s failed without a durable outcome", toSend.id());
                }
                completions.add(new Done(tp, offset, epoch, e == null));
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "delivery of %s could not start", toSend.id());
        }
        return true;
    }

    private void processCompletions() {
        Done d;
        while ((d = completions.poll()) != null) {
            inFlight.decrementAndGet();
            OffsetTracker t = trackers.get(d.partition);
            if (t != null && d.durable && epochs.getOrDefault(d.partition, 0) == d.epoch) {
                t.finished(d.offset);
            }
        }
    }

    private void commitAsync() {
        var offsets = due(trackers.keySet());
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, error) -> {
                // Runs on this thread, inside a later poll().
                if (error != null) {
                    LOG.debugf("offset commit failed, offered again: %s", error.toString());
                    offsets.forEach((tp, o) -> {
                        OffsetTracker t = trackers.get(tp);
                        if (t != null) {
                            t.commitFailed(o.offset());
                        }
                    });
                }
            });
            offsets.forEach((tp, o) -> trackers.get(tp).markCommitted(o.offset()));
        }
    }

    private void commitSync(Collection<TopicPartition> partitions) {
        var offsets = due(partitions);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            try {
                consumer.commitSync(offsets, Duration.ofSeconds(10));
            } catch (WakeupException e) {
                // A stop() that arrived outside poll() is delivered here; the commit still matters.
                consumer.commitSync(offsets, Duration.ofSeconds(10));
            }
            offsets.forEach((tp, o) -> trackers.get(tp).markCommitted(o.offset()));
        } catch (RuntimeException e) {
            LOG.warnf("offset commit failed; records after the last commit will be re-read: %s", e.toString());
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> due(Collection<TopicPartition> partitions) {
        var out = new HashMap<TopicPartition, OffsetAndMetadata>();
        for (TopicPartition tp : partitions) {
            OffsetTracker t = trackers.get(tp);
            if (t != null) {
                long position = t.commitDue();
                if (position >= 0) {
                    out.put(tp, new OffsetAndMetadata(position));
                }
            }
        }
        return out;
    }

    /** Waits for records in flight (bounded), processing completions; used on revoke and stop. */
    private void drain(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            processCompletions();
            PollLoop.sleep(COMPLETION_WAIT);
        }
        processCompletions();
    }

    private void subscribeIfChanged() {
        lastTopicCheck = System.currentTimeMillis();
        List<String> wanted = topics.get();
        if (!wanted.equals(subscribed)) {
            LOG.infof("delivery consumer subscribing to %s", wanted);
            consumer.subscribe(wanted, new Rebalance());
            subscribed = wanted;
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            long deadline = System.nanoTime() + REVOKE_WAIT.toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> {
                OffsetTracker t = trackers.get(tp);
                return t != null && t.inFlight() > 0;
            })) {
                processCompletions();
                PollLoop.sleep(COMPLETION_WAIT);
            }
            processCompletions();
            commitSync(partitions);
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                trackers.put(tp, new OffsetTracker());
                epochs.merge(tp, 1, Integer::sum);
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                trackers.remove(tp);
                epochs.merge(tp, 1, Integer::sum);
            }
            holds.forget(partitions);
        }
    }

    /** Asks the loop to finish: in-flight records get up to 20 s, then offsets are committed. */
    public void stop() {
        loop.stop();
    }

    public boolean stopped() {
        return loop.stopped();
    }

    /** Records being delivered: the {@code tern_delivery_inflight} gauge. */
    public int inFlight() {
        return inFlight.get();
    }
}
