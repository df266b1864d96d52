package dev.tern.common.kafka;

import dev.tern.common.queue.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The topics a Tern installation needs, with partitions, replication and size limits: what the
 * local runtime creates and what the Helm chart's KafkaTopic resources describe.
 */
public record TopicPlan(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    /** How long quarantined mail is kept when nobody releases or deletes it ({@code tern.quarantine.retention}). */
    public static final Duration DEFAULT_QUARANTINE_RETENTION = Duration.ofDays(30);

    public static List<TopicPlan> forLadder(List<Duration> retry, int partitions, short replicationFactor,
            int maxMessageBytes) {
        return forLadder(retry, partitions, replicationFactor, maxMessageBytes, DEFAULT_QUARANTINE_RETENTION);
    }

    public static List<TopicPlan> forLadder(List<Duration> retry, int partitions, short replicationFactor,
            int maxMessageBytes, Duration quarantineRetention) {
        var out = new ArrayList<TopicPlan>();
        Map<String, String> queue = KafkaClients.topicConfigs(maxMessageBytes, replicationFactor);
        for (String name : Topics.all(retry)) {
            // One partition for control: every pod reads every command, in order.
            int p = name.equals(Topics.CONTROL) ? 1 : partitions;
            Map<String, String> configs = queue;
            if (name.equals(Topics.CONTROL)) {
                // Control is compacted: operator orders are state, the latest per key, never aged out.
                configs = with(queue, Map.of("cleanup.policy", "compact"));
            } else if (name.equals(Topics.QUARANTINE)) {
                configs = with(queue, quarantine(quarantineRetention));
            }
            out.add(new TopicPlan(name, p, replicationFactor, configs));
        }
        return out;
    }

    /**
     * Quarantine is keyed by queue id and compacted, so releasing or deleting one message is a
     * tombstone for its key; and aged out after the retention, so unreviewed mail does not pile up.
     */
    public static Map<String, String> quarantine(Duration retention) {
        return Map.of("cleanup.policy", "compact,delete", "retention.ms", Long.toString(retention.toMillis()));
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> extra) {
        var configs = new HashMap<>(base);
        configs.putAll(extra);
        return Map.copyOf(configs);
    }
}
