package dev.tern.local.runtime.kafka;

import java.util.Map;
import java.util.Objects;

/**
 * A topic the local runtime should create if it does not exist yet.
 *
 * @param name topic name, e.g. {@code tern.inbound}
 * @param partitions number of partitions, at least 1
 * @param replicationFactor replicas per partition; 1 on the single local broker
 * @param configs topic-level configs such as {@code max.message.bytes}; may be empty
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("topic " + name + ": replicationFactor must be >= 1, was " + replicationFactor);
        }
        configs = Map.copyOf(configs);
    }

    public TopicSpec(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        this(name, partitions, (short) replicationFactor, configs);
    }

    /** A topic with replication factor 1 and broker-default configs. */
    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, (short) 1, Map.of());
    }
}
