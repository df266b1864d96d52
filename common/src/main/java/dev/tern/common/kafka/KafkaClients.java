package dev.tern.common.kafka;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Client settings that carry Tern's durability rules (docs/ARCHITECTURE.md, "Durability rules") in one place:
 * producers wait for all in-sync replicas and are idempotent; consumers never auto-commit (the
 * delivery service commits only after every recipient has a durable outcome); size limits of the
 * producer, the topic and the consumer fetch are all derived from the one max message size.
 *
 * <p>The operator's {@link KafkaClientProperties} (security settings) go in first; Tern's own
 * settings are put over them, and {@link KafkaClientProperties#of} refuses the reserved ones anyway.
 */
public final class KafkaClients {

    /** Room for headers and batch framing on top of the message itself. */
    public static final int RECORD_OVERHEAD = 1024 * 1024;

    private KafkaClients() {
    }

    public static Properties producer(String bootstrap, KafkaClientProperties extra, int maxMessageBytes,
            String clientId) {
        var p = new Properties();
        extra.applyToProducer(p);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxMessageBytes + RECORD_OVERHEAD));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(Math.max(64L << 20, 2L * (maxMessageBytes + RECORD_OVERHEAD))));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    public static Properties consumer(String bootstrap, KafkaClientProperties extra, int maxMessageBytes,
            String groupId, String clientId) {
        var p = new Properties();
        extra.applyToConsumer(p);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(maxMessageBytes + RECORD_OVERHEAD));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(maxMessageBytes + RECORD_OVERHEAD));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    public static Properties admin(String bootstrap, KafkaClientProperties extra) {
        var p = new Properties();
        extra.applyToAdmin(p);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return p;
    }

    /** Topic-level configs for a queue topic holding messages up to {@code maxMessageBytes}. */
    public static Map<String, String> topicConfigs(int maxMessageBytes, short replicationFactor) {
        return Map.of(
                "max.message.bytes", Integer.toString(maxMessageBytes + RECORD_OVERHEAD),
                "min.insync.replicas", replicationFactor >= 3 ? "2" : "1",
                "unclean.leader.election.enable", "false",
                "compression.type", "producer");
    }
}
