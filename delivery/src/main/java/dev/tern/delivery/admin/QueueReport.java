package dev.tern.delivery.admin;

import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.queue.RecordCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What is queued for the delivery consumer group, cluster-wide (not just this pod's partitions):
 * <ul>
 *   <li>{@code waiting}: records per topic between the group's committed offset and the end (the
 *       group's lag; on a retry tier, mail waiting for its due time plus mail being delivered);</li>
 *   <li>{@code byDestination}: recipients per recipient domain and topic in those records, read
 *       from the envelope headers by a group-less consumer, at most {@code maxRecords} records
 *       ({@code truncated} says when the scan stopped early).</li>
 * </ul>
 * Blocking (admin client, consumer); call from a worker thread. Nothing is committed.
 */
public final class QueueReport {

    private final Admin admin;
    private final String bootstrap;
    private final KafkaClientProperties kafkaProperties;
    private final String groupId;
    private final int maxRecords;

    public QueueReport(Admin admin, String bootstrap, KafkaClientProperties kafkaProperties, String groupId,
            int maxRecords) {
        this.admin = admin;
        this.bootstrap = bootstrap;
        this.kafkaProperties = kafkaProperties;
        this.groupId = groupId;
        this.maxRecords = maxRecords;
    }

    public Map<String, Object> report(List<String> topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        var partitions = new ArrayList<TopicPartition>();
        admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, d) ->
                d.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        var ends = offsets(partitions, OffsetSpec.latest());
        var starts = offsets(partitions, OffsetSpec.earliest());
        var from = new HashMap<TopicPartition, Long>();
        var waiting = new TreeMap<String, Long>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            // Without a committed offset the group has not consumed the partition yet: all of it waits.
            long start = Math.max(starts.get(tp), c == null ? 0 : c.offset());
            from.put(tp, start);
            waiting.merge(tp.topic(), Math.max(0, ends.get(tp) - start), Long::sum);
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("waiting", waiting);
        out.putAll(scan(from, ends));
        return out;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        var specs = new HashMap<TopicPartition, OffsetSpec>();
        partitions.forEach(tp -> specs.put(tp, spec));
        var out = new HashMap<TopicPartition, Long>();
        admin.listOffsets(specs).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private Map<String, Object> scan(Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends) {
        var byDestination = new TreeMap<String, Map<String, Long>>();
        var props = KafkaClients.consumer(bootstrap, kafkaProperties, 1 << 20, "unused", "tern-delivery-queue-report");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        int seen = 0;
        var open = new ArrayList<TopicPartition>();
        from.forEach((tp, start) -> {
            if (start < ends.get(tp)) {
                open.add(tp);
            }
        });
        try (var consumer = new KafkaConsumer<String, byte[]>(props)) {
            consumer.assign(open);
            open.forEach(tp -> consumer.seek(tp, from.get(tp)));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!open.isEmpty() && seen < maxRecords && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= ends.get(new TopicPartition(r.topic(), r.partition())) || seen >= maxRecords) {
                        continue;
                    }
                    seen++;
                    for (String address : RecordCodec.recipientAddresses(r.headers())) {
                        byDestination.computeIfAbsent(domain(address), d -> new TreeMap<>())
                                .merge(r.topic(), 1L, Long::sum);
                    }
                }
                open.removeIf(tp -> consumer.position(tp) >= ends.get(tp));
            }
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("byDestination", byDestination);
        out.put("scanned", seen);
        out.put("truncated", !open.isEmpty());
        return out;
    }

    private static String domain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
