package dev.tern.delivery.admin;

import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.queue.MalformedRecordException;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.RecordCodec;
import dev.tern.delivery.metrics.GroupOffsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the records still waiting for the delivery consumer group, cluster-wide: per partition of
 * the given topics, from the group's committed offset (the earliest one when it has none) to the
 * end as it was when the scan started ({@link GroupOffsets}). At most {@code maxRecords} records
 * and {@code maxTime} per scan, so one admin request has a bounded cost; {@link Summary#truncated()}
 * says when it stopped early. A group-less consumer reads, so nothing is committed and the group
 * never rebalances. Blocking; call from a worker thread.
 */
public final class QueueScan {

    /** A waiting record, decoded. */
    public record Found(TopicPartition partition, long offset, QueuedMessage message) {
    }

    public record Summary(int scanned, boolean truncated) {
    }

    private final GroupOffsets offsets;
    private final String bootstrap;
    private final KafkaClientProperties kafkaProperties;
    private final int maxRecords;
    private final Duration maxTime;
    private final String clientId;

    /** A scan of at most {@code maxRecords} records and 30 seconds. */
    public QueueScan(Admin admin, String bootstrap, KafkaClientProperties kafkaProperties, String groupId,
            int maxRecords) {
        this(new GroupOffsets(admin, groupId), bootstrap, kafkaProperties, maxRecords, Duration.ofSeconds(30),
                "tern-delivery-queue-scan");
    }

    QueueScan(GroupOffsets offsets, String bootstrap, KafkaClientProperties kafkaProperties, int maxRecords,
            Duration maxTime, String clientId) {
        this.offsets = offsets;
        this.bootstrap = bootstrap;
        this.kafkaProperties = kafkaProperties;
        this.maxRecords = maxRecords;
        this.maxTime = maxTime;
        this.clientId = clientId;
    }

    /** Hands every waiting record of {@code topics} to {@code visitor}, on this thread; undecodable ones are skipped. */
    public Summary scan(List<String> topics, Consumer<Found> visitor) throws Exception {
        return read(offsets.ranges(topics), r -> {
            QueuedMessage m;
            try {
                m = RecordCodec.fromRecord(r);
            } catch (MalformedRecordException e) {
                return; // the consumer skips it too: it could never be delivered
            }
            visitor.accept(new Found(new TopicPartition(r.topic(), r.partition()), r.offset(), m));
        });
    }

    /** Hands every record in {@code ranges} to {@code visitor} as read, on this thread, within the scan's bounds. */
    Summary read(Map<TopicPartition, GroupOffsets.Range> ranges, Consumer<ConsumerRecord<String, byte[]>> visitor) {
        var open = new ArrayList<TopicPartition>();
        ranges.forEach((tp, range) -> {
            if (range.from() < range.end()) {
                open.add(tp);
            }
        });
        var props = KafkaClients.consumer(bootstrap, kafkaProperties, 1 << 20, "unused", clientId);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        int seen = 0;
        try (var consumer = new KafkaConsumer<String, byte[]>(props)) {
            consumer.assign(open);
            open.forEach(tp -> consumer.seek(tp, ranges.get(tp).from()));
            long deadline = System.nanoTime() + maxTime.toNanos();
            while (!open.isEmpty() && seen < maxRecords && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= ranges.get(new TopicPartition(r.topic(), r.partition())).end()
                            || seen >= maxRecords) {
                        continue;
                    }
                    seen++;
                    visitor.accept(r);
                }
                open.removeIf(tp -> consumer.position(tp) >= ranges.get(tp).end());
            }
        }
        return new Summary(seen, !open.isEmpty());
    }
}
