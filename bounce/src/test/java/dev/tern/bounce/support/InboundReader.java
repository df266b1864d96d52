package dev.tern.bounce.support;

import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads everything on {@code tern.inbound} from the start, without a group, and keeps it. */
public final class InboundReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<QueuedMessage> seen = new ArrayList<>();

    public InboundReader(String bootstrap) {
        var props = KafkaClients.consumer(bootstrap, KafkaClientProperties.none(), 1 << 20, "unused", "test-inbound-reader");
        props.remove(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG);
        consumer = new KafkaConsumer<>(props);
        var partitions = consumer.partitionsFor(Topics.INBOUND).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Notices whose body mentions {@code marker}, after reading for at most {@code wait} until {@code count} are there. */
    public List<QueuedMessage> await(String marker, int count, Duration wait) {
        Instant end = Instant.now().plus(wait);
        List<QueuedMessage> found;
        do {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(RecordCodec.fromRecord(r)));
            found = mentioning(marker);
        } while (found.size() < count && Instant.now().isBefore(end));
        return found;
    }

    private List<QueuedMessage> mentioning(String marker) {
        return seen.stream().filter(m -> new String(m.body(), StandardCharsets.UTF_8).contains(marker)).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
