package dev.tern.local.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.tern.local.runtime.EmbeddedCluster;

class KafkaBrokerRoundTripIT {

    /** The JVM-wide shared cluster (the test kit's extension hands out the same one). */
    private final EmbeddedCluster cluster = EmbeddedCluster.shared();

    @Test
    void consumesBackAProducedRecordWithItsHeaders() throws Exception {
        String topic = "roundtrip-" + UUID.randomUUID();
        cluster.createTopics(List.of(TopicSpec.of(topic, 2)));

        ProducerRecord<String, byte[]> sent = new ProducerRecord<>(topic, "msg-1", "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        sent.headers().add("tern-sender", "a@example.org".getBytes(StandardCharsets.UTF_8));
        sent.headers().add("tern-attempt", "3".getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, byte[]> producer = producer(cluster)) {
            RecordMetadata metadata = producer.send(sent).get();
            assertThat(metadata.topic()).isEqualTo(topic);
        }

        List<ConsumerRecord<String, byte[]>> received = consumeAtLeast(cluster, topic, 1);
        assertThat(received).hasSize(1);
        ConsumerRecord<String, byte[]> record = received.get(0);
        assertThat(record.key()).isEqualTo("msg-1");
        assertThat(new String(record.value(), StandardCharsets.US_ASCII)).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
        assertThat(new String(record.headers().lastHeader("tern-sender").value(), StandardCharsets.UTF_8)).isEqualTo("a@example.org");
        assertThat(new String(record.headers().lastHeader("tern-attempt").value(), StandardCharsets.UTF_8)).isEqualTo("3");
    }

    @Test
    void leavesAnExistingTopicAloneWhenCreatedAgain() throws Exception {
        String topic = "idempotent-" + UUID.randomUUID();
        cluster.createTopics(List.of(new TopicSpec(topic, 3, 1, Map.of("retention.ms", "3600000"))));
        cluster.createTopics(List.of(TopicSpec.of(topic, 1)));

        try (Admin admin = Admin.create(KafkaTopics.adminConfig(cluster.kafkaBootstrapServers()))) {
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value())
                    .isEqualTo("3600000");
        }
    }

    static KafkaProducer<String, byte[]> producer(EmbeddedCluster cluster) {
        return producer(cluster.kafkaBootstrapServers());
    }

    static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    static List<ConsumerRecord<String, byte[]>> consumeAtLeast(EmbeddedCluster cluster, String topic, int count) {
        return consumeAtLeast(cluster.kafkaBootstrapServers(), topic, count);
    }

    static List<ConsumerRecord<String, byte[]>> consumeAtLeast(String bootstrapServers, String topic, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
