package dev.tern.delivery.quarantine;

import dev.tern.common.kafka.PollLoop;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Keeps a {@link QuarantineIndex} up to date with {@code tern.quarantine}.
 *
 * <p>Every delivery pod answers for the whole quarantine, so this consumer is outside any group:
 * it assigns itself every partition, reads from the beginning (the compacted topic is the state:
 * the latest record per queue id, a tombstone for released or deleted mail) and commits nothing.
 * Runs on its own thread; a record that does not decode is logged and leaves its id unlisted; a
 * topic not there yet and a failed poll (broker away) are retried every second. Partitions added
 * to the topic later are read after the pod restarts.
 */
public final class QuarantineFollower implements Runnable {

    private static final Logger LOG = Logger.getLogger(QuarantineFollower.class);

    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Consumer<String, byte[]> consumer;
    private final QuarantineIndex index;
    private final PollLoop loop;

    public QuarantineFollower(Consumer<String, byte[]> consumer, QuarantineIndex index) {
        this.consumer = consumer;
        this.index = index;
        this.loop = new PollLoop("quarantine follower", consumer, new PollLoop.Body() {
            @Override
            public void start() {
                assignAllFromTheBeginning();
            }

            @Override
            public void pollOnce() {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(index, r);
                }
            }
        }, RETRY, Duration.ofSeconds(2), true);
    }

    @Override
    public void run() {
        loop.run();
    }

    public void stop() {
        loop.stop();
    }

    /** Applies one record of {@code tern.quarantine} to {@code index}. */
    static void apply(QuarantineIndex index, ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            LOG.warnf("skipping quarantine record without a key at %d/%d", r.partition(), r.offset());
            return;
        }
        if (r.value() == null) {
            index.remove(r.key());
            return;
        }
        Optional<QuarantinedMessage> m = describe(r);
        if (m.isPresent()) {
            index.put(m.get());
        } else {
            index.remove(r.key());
        }
    }

    /** What the index keeps of a held message's record; empty (and logged) when it does not decode. */
    static Optional<QuarantinedMessage> describe(ConsumerRecord<String, byte[]> r) {
        try {
            QueuedMessage q = RecordCodec.fromRecord(r);
            Header reason = r.headers().lastHeader(RecordCodec.QUARANTINE_REASON);
            return Optional.of(new QuarantinedMessage(r.key(), q.sender(),
                    q.recipients().stream().map(QueuedRecipient::address).toList(),
                    reason == null || reason.value() == null ? "" : new String(reason.value(), StandardCharsets.UTF_8),
                    r.value().length, Instant.ofEpochMilli(r.timestamp()), r.partition(), r.offset()));
        } catch (RuntimeException e) {
            LOG.warnf("quarantined record %s at %d/%d does not decode, not listed: %s", r.key(), r.partition(),
                    r.offset(), e.getMessage());
            return Optional.empty();
        }
    }

    /** The topic's partitions; none yet while it does not exist or the broker does not answer (retried). */
    private List<TopicPartition> partitions() {
        try {
            List<PartitionInfo> info = consumer.partitionsFor(Topics.QUARANTINE, Duration.ofSeconds(10));
            return info == null ? List.of()
                    : info.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.debugf("%s not readable yet: %s", Topics.QUARANTINE, e.toString());
            return List.of();
        }
    }

    private void assignAllFromTheBeginning() {
        List<TopicPartition> partitions = List.of();
        while (loop.running() && partitions.isEmpty()) {
            partitions = partitions();
            if (partitions.isEmpty()) {
                PollLoop.sleep(RETRY);
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }
}
