package dev.tern.common.kafka;

import dev.tern.common.queue.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The topics a Tern installation needs, with partitions, replication and size limits: what the
 * local runtime creates and what the Helm chart's KafkaTopic resources describe.
 */
public record TopicPlan(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public static List<TopicPlan> forLadder(List<Duration> retry, int partitions, short replicationFactor,
            int maxMessageBytes) {
        var out = new ArrayList<TopicPlan>();
        Map<String, String> queue = KafkaClients.topicConfigs(maxMessageBytes, replicationFactor);
        for (String name : Topics.all(retry)) {
            // One partition for control: every pod reads every command, in order.
            int p = name.equals(Topics.CONTROL) ? 1 : partitions;
            // Control is compacted: operator orders are state, the latest per key, never aged out.
            out.add(new TopicPlan(name, p, replicationFactor, name.equals(Topics.CONTROL) ? control(queue) : queue));
        }
        return out;
    }

    private static Map<String, String> control(Map<String, String> queue) {
        var configs = new java.util.HashMap<>(queue);
        configs.put("cleanup.policy", "compact");
        return Map.copyOf(configs);
    }
}
