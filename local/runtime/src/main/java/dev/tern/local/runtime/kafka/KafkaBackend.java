package dev.tern.local.runtime.kafka;

import java.util.List;

/** Kafka run as child processes, as the cluster around it uses it: one {@link KafkaBroker} or a {@link KafkaQuorum}. */
public interface KafkaBackend {

    /** Value for {@code bootstrap.servers}. */
    String bootstrapServers();

    /** Creates the topics that do not exist yet; existing ones are left alone. */
    void createTopics(List<TopicSpec> topics);

    /** Stops every process. Idempotent. */
    void stop();
}
