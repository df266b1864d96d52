package dev.tern.delivery.support;

import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.queue.Provenance;
import dev.tern.common.queue.QueuedEnvelope;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Schedule;
import dev.tern.common.queue.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Test access to the real queue: enqueue a message on {@code tern.inbound} the way ingress does,
 * and read what the delivery service wrote ({@code tern.events}, {@code tern.failed}, retry tiers)
 * for one message id. Each read scans its topic from the beginning with a group-less consumer.
 */
public final class QueueProbe implements AutoCloseable {

    private final String bootstrap;
    private final KafkaProducer<String, byte[]> producer;

    public QueueProbe() {
        bootstrap = ConfigProvider.getConfig().getValue("tern.kafka.bootstrap-servers", String.class);
        producer = new KafkaProducer<>(KafkaClients.producer(bootstrap, KafkaClientProperties.none(), 1 << 20, "delivery-test"));
    }

    public static QueuedMessage message(String sender, String... recipients) {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        byte[] body = ("Message-ID: <" + id + "@test>\r\nSubject: test " + id + "\r\n\r\nHello\r\n.leading dot\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return new QueuedMessage(id, QueuedEnvelope.of(sender, Arrays.stream(recipients).map(QueuedRecipient::of).toList()),
                new Provenance("127.0.0.1", "client.test", null, null), Schedule.firstAttempt(Instant.now()), body);
    }

    public void enqueue(QueuedMessage m) throws Exception {
        enqueue(Topics.INBOUND, m);
    }

    /** Produces {@code m} on {@code topic} (a retry tier: as delivery defers it, with its schedule). */
    public void enqueue(String topic, QueuedMessage m) throws Exception {
        producer.send(RecordCodec.toRecord(topic, m)).get();
    }

    /** Holds {@code m} on {@code tern.quarantine} the way ingress does: its queue record plus the reason header. */
    public void quarantine(QueuedMessage m, String reason) throws Exception {
        quarantine(m, reason, null);
    }

    /** As {@link #quarantine(QueuedMessage, String)}, on {@code partition} (null: by key, as ingress). */
    public void quarantine(QueuedMessage m, String reason, Integer partition) throws Exception {
        var byKey = RecordCodec.toRecord(Topics.QUARANTINE, m);
        var record = new ProducerRecord<>(Topics.QUARANTINE, partition, m.id(), m.body(), byKey.headers());
        record.headers().add(RecordCodec.QUARANTINE_REASON, reason.getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    /** The partition of {@code tern.quarantine} a record keyed {@code id} goes to (the producer's default partitioner). */
    public int quarantinePartition(String id) {
        int partitions = producer.partitionsFor(Topics.QUARANTINE).size();
        return Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    public List<DeliveryEvent> events(String id) {
        // Other kinds (the ingress "accepted" record) share the key: only delivery events are decoded.
        return read(Topics.EVENTS, r -> id.equals(r.key()) && dev.tern.common.event.EventKinds.isDelivery(r.value())
                ? DeliveryEvent.fromJson(r.value()) : null);
    }

    /** The raw values of the {@code tern.events} records with {@code key} (admin audit records: {@code admin:<service>}). */
    public List<byte[]> rawEvents(String key) {
        return read(Topics.EVENTS, r -> key.equals(r.key()) ? r.value() : null);
    }

    public List<QueuedMessage> queued(String topic, String id) {
        return read(topic, r -> id.equals(r.key()) ? RecordCodec.fromRecord(r) : null);
    }

    private <T> List<T> read(String topic, Function<ConsumerRecord<String, byte[]>, T> pick) {
        var props = KafkaClients.consumer(bootstrap, KafkaClientProperties.none(), 1 << 20, "unused", "delivery-test-reader");
        props.remove("group.id");
        try (var consumer = new KafkaConsumer<String, byte[]>(props)) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            var out = new ArrayList<T>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    T t = pick.apply(r);
                    if (t != null) {
                        out.add(t);
                    }
                }
            }
            return out;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
