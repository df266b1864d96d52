package dev.tern.bounce.consume;

import dev.tern.bounce.consume.RecordHandler.Step;
import dev.tern.common.kafka.PartitionHolds;
import dev.tern.common.kafka.PollLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * A Kafka consumer that hands each record to a {@link RecordHandler} and commits an offset only
 * once the handler's work for every record before it is durable (docs/ARCHITECTURE.md, "Durability rules").
 *
 * <p>Per poll: records are handled in offset order per partition; all their work runs
 * concurrently; the loop then waits for it and commits, synchronously, per partition the offset
 * after the last record whose work completed with no failure before it. So a notice is always
 * acknowledged by Kafka before the offset of its input moves, and a crash in between costs a
 * repeat of that notice, never a loss.
 *
 * <p>Holding back: a {@link Step.WaitUntil} (not due yet) or failed work (Kafka or Infinispan
 * unreachable) seeks the partition back to that record and pauses it until the due time or for
 * the back-off; other partitions carry on. The loop keeps polling while paused, so the group does
 * not rebalance. Later records of the held partition whose work had already succeeded are handled
 * again when it resumes (their notices may repeat; the notice ids make repeats identical).
 *
 * <p>Rebalance: commits are synchronous after every poll, so nothing is pending when partitions
 * are revoked; holds on revoked partitions are forgotten and the new owner starts at the committed
 * offset. Threading: {@link #run()} owns the consumer; {@link #stop()} may be called from any
 * thread. Failure: an exception from the handler counts as failed work for that record; any other
 * exception in the loop is logged and the loop goes on after the back-off.
 */
public final class RecordLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(RecordLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Longer than the producer's delivery timeout (2 min), shorter than max.poll.interval.ms (5 min). */
    private static final Duration MAX_WAIT = Duration.ofMinutes(3);

    private final String name;
    private final Consumer<String, byte[]> consumer;
    private final List<String> topics;
    private final Pattern pattern;
    private final RecordHandler handler;
    private final Clock clock;
    private final Duration backoff;
    private final PartitionHolds holds = new PartitionHolds();
    private final PollLoop loop;

    /** Subscribes to {@code topics} by name. */
    public RecordLoop(String name, Consumer<String, byte[]> consumer, List<String> topics, RecordHandler handler,
            Clock clock, Duration backoff) {
        this(name, consumer, List.copyOf(topics), null, handler, clock, backoff);
    }

    /** Subscribes to every topic matching {@code pattern}, including ones created later. */
    public RecordLoop(String name, Consumer<String, byte[]> consumer, Pattern pattern, RecordHandler handler,
            Clock clock, Duration backoff) {
        this(name, consumer, null, pattern, handler, clock, backoff);
    }

    private RecordLoop(String name, Consumer<String, byte[]> consumer, List<String> topics, Pattern pattern,
            RecordHandler handler, Clock clock, Duration backoff) {
        this.name = name;
        this.consumer = consumer;
        this.topics = topics;
        this.pattern = pattern;
        this.handler = handler;
        this.clock = clock;
        this.backoff = backoff;
        // No wakeup() on stop: it could interrupt the commit of work already published. Polls are short.
        this.loop = new PollLoop(name, consumer, new PollLoop.Body() {
            @Override
            public void start() {
                subscribe();
            }

            @Override
            public void pollOnce() {
                RecordLoop.this.pollOnce();
            }
        }, backoff, Duration.ofSeconds(5), false);
    }

    @Override
    public void run() {
        loop.run();
    }

    /** Asks the loop to end; {@link #run()} returns after the current poll's work is committed. */
    public void stop() {
        loop.stop();
    }

    /** Subscribes with the rebalance listener that forgets holds on revoked partitions. */
    public void subscribe() {
        var listener = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                holds.forget(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                holds.forget(partitions);
            }
        };
        if (pattern != null) {
            consumer.subscribe(pattern, listener);
        } else {
            consumer.subscribe(topics, listener);
        }
    }

    /** One poll, its work, and its commit. Public for tests that drive the loop step by step. */
    public void pollOnce() {
        holds.apply(consumer, clock.instant(), false);
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        if (records.isEmpty()) {
            return;
        }
        var started = new HashMap<TopicPartition, List<Started>>();
        for (TopicPartition tp : records.partitions()) {
            var list = new ArrayList<Started>();
            started.put(tp, list);
            for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                Step step = handle(record);
                if (step instanceof Step.WaitUntil wait) {
                    hold(tp, record.offset(), wait.due());
                    break;
                }
                list.add(new Started(record.offset(), ((Step.Done) step).durable()));
            }
        }
        var commits = new HashMap<TopicPartition, OffsetAndMetadata>();
        for (var entry : started.entrySet()) {
            TopicPartition tp = entry.getKey();
            for (Started s : entry.getValue()) {
                if (!await(tp, s)) {
                    hold(tp, s.offset, clock.instant().plus(backoff));
                    break;
                }
                commits.put(tp, new OffsetAndMetadata(s.offset + 1));
            }
        }
        if (!commits.isEmpty()) {
            consumer.commitSync(commits);
        }
    }

    private Step handle(ConsumerRecord<String, byte[]> record) {
        try {
            return handler.handle(record);
        } catch (RuntimeException e) {
            return Step.after(CompletableFuture.failedFuture(e));
        }
    }

    private boolean await(TopicPartition tp, Started s) {
        try {
            s.durable.toCompletableFuture().get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.warnf("%s: record %s@%d not done (%s), retrying in %s", name, tp, s.offset, cause, backoff);
            return false;
        }
    }

    private void hold(TopicPartition tp, long offset, Instant until) {
        holds.hold(consumer, tp, offset, until);
    }

    /** Partitions currently held back, for tests and logs. */
    public Map<TopicPartition, Instant> held() {
        return holds.snapshot();
    }

    private record Started(long offset, CompletionStage<?> durable) {
    }
}
