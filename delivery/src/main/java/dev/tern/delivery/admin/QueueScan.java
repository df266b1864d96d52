package dev.tern.delivery.admin;

import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.queue.MalformedRecordException;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.RecordCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the records still waiting for the delivery consumer group, cluster-wide: per partition of
 * the given topics, from the group's committed offset (the earliest one when it has none) to the
 * end as it was when the scan started. At most {@code maxRecords} records and 30 seconds per
 * scan, so one admin request has a bounded cost; {@link Summary#truncated()} says when it stopped
 * early. A group-less consumer reads, so nothing is committed and the group never rebalances.
 * Blocking; call from a worker thread.
 */
public final class QueueScan {

    /** A waiting record, decoded. */
    public record Found(TopicPartition partition, long offset, QueuedMessage message) {
    }

    public record Summary(int scanned, boolean truncated) {
    }

    private static final Duration MAX_TIME = Duration.ofSeconds(30);

    private final Admin admin;
    private final String bootstrap;
    private final KafkaClientProperties kafkaProperties;
    private final String groupId;
    private final int maxRecords;

    public QueueScan(Admin admin, String bootstrap, KafkaClientProperties kafkaProperties, String groupId,
            int maxRecords) {
        this.admin = admin;
        this.bootstrap = bootstrap;
        this.kafkaProperties = kafkaProperties;
        this.groupId = groupId;
        this.maxRecords = maxRecords;
    }

    /** Hands every waiting record of {@code topics} to {@code visitor}, on this thread; undecodable ones are skipped. */
    public Summary scan(List<String> topics, Consumer<Found> visitor) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        var partitions = new ArrayList<TopicPartition>();
        admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, d) ->
                d.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        var ends = offsets(partitions, OffsetSpec.latest());
        var starts = offsets(partitions, OffsetSpec.earliest());
        var open = new ArrayList<TopicPartition>();
        var from = new HashMap<TopicPartition, Long>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            long start = Math.max(starts.get(tp), c == null ? 0 : c.offset());
            if (start < ends.get(tp)) {
                open.add(tp);
                from.put(tp, start);
            }
        }
        var props = KafkaClients.consumer(bootstrap, kafkaProperties, 1 << 20, "unused", "tern-delivery-queue-scan");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        int seen = 0;
        try (var consumer = new KafkaConsumer<String, byte[]>(props)) {
            consumer.assign(open);
            open.forEach(tp -> consumer.seek(tp, from.get(tp)));
            long deadline = System.nanoTime() + MAX_TIME.toNanos();
            while (!open.isEmpty() && seen < maxRecords && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    var tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() >= ends.get(tp) || seen >= maxRecords) {
                        continue;
                    }
                    seen++;
                    QueuedMessage m;
                    try {
                        m = RecordCodec.fromRecord(r);
                    } catch (MalformedRecordException e) {
                        continue; // the consumer skips it too: it could never be delivered
                    }
                    visitor.accept(new Found(tp, r.offset(), m));
                }
                open.removeIf(tp -> consumer.position(tp) >= ends.get(tp));
            }
        }
        return new Summary(seen, !open.isEmpty());
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        var specs = new HashMap<TopicPartition, OffsetSpec>();
        partitions.forEach(tp -> specs.put(tp, spec));
        var out = new HashMap<TopicPartition, Long>();
        admin.listOffsets(specs).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }
}
