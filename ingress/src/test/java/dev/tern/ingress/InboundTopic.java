package dev.tern.ingress;

import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads {@code tern.inbound} from the beginning, for assertions on what ingress published. */
public final class InboundTopic {

    private InboundTopic() {
    }

    /** Every queued message on the topic matching {@code filter}, waiting up to {@code wait} for at least {@code min}. */
    public static List<QueuedMessage> find(String bootstrap, Predicate<QueuedMessage> filter, int min, Duration wait) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(60 << 20));
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(60 << 20));
        try (var consumer = new KafkaConsumer<String, byte[]>(props)) {
            var partitions = new ArrayList<TopicPartition>();
            consumer.partitionsFor(Topics.INBOUND).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var found = new ArrayList<QueuedMessage>();
            long deadline = System.nanoTime() + wait.toNanos();
            do {
                for (var r : consumer.poll(Duration.ofMillis(300))) {
                    QueuedMessage m = RecordCodec.fromRecord(r);
                    if (filter.test(m)) {
                        found.add(m);
                    }
                }
            } while (found.size() < min && System.nanoTime() < deadline);
            // One more poll so that duplicates, if any, are seen too.
            for (var r : consumer.poll(Duration.ofMillis(500))) {
                QueuedMessage m = RecordCodec.fromRecord(r);
                if (filter.test(m)) {
                    found.add(m);
                }
            }
            return found;
        }
    }

    /** The {@code accepted} record of queue id {@code id} on {@code tern.events}, waiting up to {@code wait}. */
    public static java.util.Optional<dev.tern.common.event.AcceptedEvent> accepted(String bootstrap, String id,
            Duration wait) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (var consumer = new KafkaConsumer<String, byte[]>(props)) {
            var partitions = new ArrayList<TopicPartition>();
            consumer.partitionsFor(Topics.EVENTS).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + wait.toNanos();
            do {
                for (var r : consumer.poll(Duration.ofMillis(300))) {
                    if (id.equals(r.key())
                            && dev.tern.common.event.AcceptedEvent.KIND.equals(dev.tern.common.event.EventKinds.of(r.value()))) {
                        return java.util.Optional.of(dev.tern.common.event.AcceptedEvent.fromJson(r.value()));
                    }
                }
            } while (System.nanoTime() < deadline);
            return java.util.Optional.empty();
        }
    }
}
