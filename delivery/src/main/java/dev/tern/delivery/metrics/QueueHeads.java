package dev.tern.delivery.metrics;

import dev.tern.common.queue.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Reads the first waiting record of each backlogged partition (the one at the group's committed
 * offset) and tells when its message was first received ({@link RecordCodec#FIRST_RECEIVED}, or
 * the record's timestamp for a record without it): the age of the oldest mail each partition
 * holds. A retry tier keeps records in the order their attempts failed, not the order their
 * messages arrived, so the head is the partition's oldest message only on {@code tern.inbound};
 * on a tier it is the mail that has waited longest for that tier, which is what an operator
 * watching a stuck queue wants to see grow.
 *
 * <p>Its consumer has no group (it only reads, never commits) and fetches little per partition;
 * one instance is used from one thread.
 */
public final class QueueHeads implements QueueBacklog.HeadReader, AutoCloseable {

    private static final Duration READ_FOR = Duration.ofSeconds(5);

    private final KafkaConsumer<String, byte[]> consumer;

    /** {@code consumerProperties}: a consumer's properties; its group id is removed here. */
    public QueueHeads(Properties consumerProperties) {
        var p = new Properties();
        p.putAll(consumerProperties);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // The first record per partition is all that is needed; the broker still returns a whole
        // batch when it is larger, so this only bounds what is fetched, never blocks progress.
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "65536");
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(1 << 20));
        this.consumer = new KafkaConsumer<>(p);
    }

    @Override
    public Map<TopicPartition, Long> firstReceived(Map<TopicPartition, Long> heads) {
        var out = new HashMap<TopicPartition, Long>();
        if (heads.isEmpty()) {
            return out;
        }
        consumer.assign(heads.keySet());
        heads.forEach(consumer::seek);
        var open = new HashSet<>(heads.keySet());
        long deadline = System.nanoTime() + READ_FOR.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            for (var r : consumer.poll(Duration.ofMillis(200))) {
                var tp = new TopicPartition(r.topic(), r.partition());
                if (open.remove(tp)) {
                    out.put(tp, firstReceived(r.headers().lastHeader(RecordCodec.FIRST_RECEIVED), r.timestamp()));
                    consumer.pause(java.util.List.of(tp));
                }
            }
        }
        consumer.unsubscribe();
        return out;
    }

    private static long firstReceived(Header header, long recordTimestamp) {
        if (header == null) {
            return recordTimestamp;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return recordTimestamp;
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
