package dev.tern.delivery.quarantine;

import dev.tern.common.kafka.KafkaSends;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Schedule;
import dev.tern.common.queue.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The operator's actions on held mail (docs/ARCHITECTURE.md, "Quarantine"): read one message,
 * release it to {@code tern.inbound}, delete it. Works the same on every delivery pod: the index
 * says where a message's record is, the record is read from Kafka when asked for, and every change
 * is a record on the shared topics, which every pod's follower then sees.
 *
 * <p>Release publishes the message to {@code tern.inbound} first and only after Kafka has it writes
 * the tombstone: a crash between the two leaves the message both queued and held (a later release
 * may deliver it twice), never neither. The released message starts a new schedule
 * ({@link Schedule#firstAttempt}: attempt 0, queue lifetime from the release), so mail held for
 * longer than {@code max-queue-lifetime} does not expire at its first deferral.
 *
 * <p>Thread-safe: reads share one group-less consumer, one at a time.
 */
public final class QuarantineStore {

    private static final Logger LOG = Logger.getLogger(QuarantineStore.class);

    /** How long one Kafka read or write may take before the request fails (503). */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** A held message and its metadata, as {@link #show} reads it. */
    public record Held(QuarantinedMessage meta, QueuedMessage message) {
    }

    private final QuarantineIndex index;
    private final Consumer<String, byte[]> reader;
    private final Producer<String, byte[]> producer;
    private final QuarantineMetrics metrics;
    private final Clock clock;

    public QuarantineStore(QuarantineIndex index, Consumer<String, byte[]> reader, Producer<String, byte[]> producer,
            QuarantineMetrics metrics, Clock clock) {
        this.index = index;
        this.reader = reader;
        this.producer = producer;
        this.metrics = metrics;
        this.clock = clock;
    }

    public QuarantineIndex index() {
        return index;
    }

    /** The held message {@code id}; empty when it is not held (unknown, released, deleted, aged out). */
    public Optional<Held> show(String id) throws QuarantineUnavailableException {
        Optional<QuarantinedMessage> meta = index.find(id, clock.instant());
        if (meta.isEmpty()) {
            return Optional.empty();
        }
        return read(meta.get()).map(r -> new Held(meta.get(), RecordCodec.fromRecord(r)));
    }

    /** Queues the held message {@code id} on {@code tern.inbound}, then forgets it; empty when not held. */
    public Optional<QuarantinedMessage> release(String id) throws QuarantineUnavailableException {
        Optional<Held> held = show(id);
        if (held.isEmpty()) {
            return Optional.empty();
        }
        QueuedMessage m = held.get().message();
        QueuedMessage queued = new QueuedMessage(m.id(), m.envelope(), m.provenance(),
                Schedule.firstAttempt(clock.instant()), m.body());
        await(KafkaSends.send(producer, RecordCodec.toRecord(Topics.INBOUND, queued)), "queue " + id);
        forget(id);
        metrics.action(QuarantineMetrics.RELEASED);
        LOG.infof("quarantine: released %s (%s)", id, held.get().meta().reason());
        return Optional.of(held.get().meta());
    }

    /** Forgets the held message {@code id} for good; empty when not held. */
    public Optional<QuarantinedMessage> delete(String id) throws QuarantineUnavailableException {
        Optional<QuarantinedMessage> meta = index.find(id, clock.instant());
        if (meta.isEmpty()) {
            return Optional.empty();
        }
        forget(id);
        metrics.action(QuarantineMetrics.DELETED);
        LOG.infof("quarantine: deleted %s (%s)", id, meta.get().reason());
        return meta;
    }

    /** The tombstone for {@code id}: compaction drops the held record, every follower unlists it. */
    private void forget(String id) throws QuarantineUnavailableException {
        await(KafkaSends.send(producer, new ProducerRecord<>(Topics.QUARANTINE, id, null)), "tombstone " + id);
        index.remove(id);
    }

    /**
     * The record the index points at, if it is still there with this key: compaction or retention
     * may have removed it since (a newer record or a tombstone then follows, which the follower applies).
     */
    private synchronized Optional<ConsumerRecord<String, byte[]>> read(QuarantinedMessage m)
            throws QuarantineUnavailableException {
        var tp = new TopicPartition(Topics.QUARANTINE, m.partition());
        try {
            reader.assign(List.of(tp));
            reader.seek(tp, m.offset());
            long end = reader.endOffsets(List.of(tp), TIMEOUT).get(tp);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (reader.position(tp, TIMEOUT) < end) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    boolean found = r.offset() == m.offset() && m.id().equals(r.key()) && r.value() != null;
                    return found ? Optional.of(r) : Optional.empty();
                }
                if (System.nanoTime() > deadline) {
                    throw new QuarantineUnavailableException("reading " + m.id() + " from Kafka timed out", null);
                }
            }
            return Optional.empty();
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new QuarantineUnavailableException("reading " + m.id() + " from Kafka failed: " + e, e);
        }
    }

    private static void await(java.util.concurrent.CompletableFuture<?> send, String what)
            throws QuarantineUnavailableException {
        try {
            send.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new QuarantineUnavailableException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new QuarantineUnavailableException(what + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuarantineUnavailableException(what + " interrupted", e);
        }
    }
}
