package dev.tern.delivery.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a consumer group stands on its topics, cluster-wide, read with the admin client: per
 * partition, the first offset the group has not consumed and the end. The one place the backlog
 * gauges, the queue report and the queue scan read it from. Blocking (each admin call waits up to
 * 10 seconds); call from a thread that may block.
 */
public final class GroupOffsets {

    /** A partition's unconsumed range: {@code from} (inclusive) to {@code end} (exclusive). */
    public record Range(long from, long end) {
        /** Records the group has not consumed yet (0 when none). */
        public long waiting() {
            return Math.max(0, end - from);
        }
    }

    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;
    private final String groupId;

    public GroupOffsets(Admin admin, String groupId) {
        this.admin = admin;
        this.groupId = groupId;
    }

    /** The unconsumed range of every partition of {@code topics}, in the order the topics were described. */
    public Map<TopicPartition, Range> ranges(Collection<String> topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        var partitions = partitions(topics);
        var ends = offsets(partitions, tp -> OffsetSpec.latest());
        var starts = offsets(partitions, tp -> OffsetSpec.earliest());
        var out = new LinkedHashMap<TopicPartition, Range>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            // Without a committed offset the group has not consumed the partition yet: all of it waits.
            out.put(tp, new Range(Math.max(starts.get(tp), c == null ? 0 : c.offset()), ends.get(tp)));
        }
        return out;
    }

    /** Every partition of {@code topics}. */
    public List<TopicPartition> partitions(Collection<String> topics) throws Exception {
        var partitions = new ArrayList<TopicPartition>();
        admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).forEach((name, d) ->
                d.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        return partitions;
    }

    /** The offset {@code spec} names per partition (-1 where Kafka has none, e.g. no record after a timestamp). */
    public Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions,
            Function<TopicPartition, OffsetSpec> spec) throws Exception {
        var specs = new HashMap<TopicPartition, OffsetSpec>();
        partitions.forEach(tp -> specs.put(tp, spec.apply(tp)));
        var out = new HashMap<TopicPartition, Long>();
        admin.listOffsets(specs).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }
}
