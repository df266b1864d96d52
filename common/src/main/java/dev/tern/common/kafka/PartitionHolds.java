package dev.tern.common.kafka;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Partitions a consumer holds back until a time: the record at the head is not due yet, or its
 * work failed and is retried after a back-off. {@link #hold} seeks the partition back to that
 * record and pauses it, so the consumer keeps polling (the group does not rebalance) and the
 * record is fetched again when the partition resumes; {@link #apply} resumes what is due.
 * Not thread-safe: owned by the consumer's thread.
 */
public final class PartitionHolds {

    private final Map<TopicPartition, Instant> until = new HashMap<>();

    /** Seeks {@code tp} back to {@code offset} and pauses it until {@code due}. */
    public void hold(Consumer<?, ?> consumer, TopicPartition tp, long offset, Instant due) {
        consumer.seek(tp, offset);
        consumer.pause(java.util.List.of(tp));
        until.put(tp, due);
    }

    /**
     * Drops holds that are due, then makes the paused set what it should be: every assigned
     * partition when {@code pauseAll} (the consumer is at its bound of work), else the held ones.
     */
    public void apply(Consumer<?, ?> consumer, Instant now, boolean pauseAll) {
        until.values().removeIf(due -> !due.isAfter(now));
        Set<TopicPartition> want = new HashSet<>(pauseAll ? consumer.assignment() : until.keySet());
        Set<TopicPartition> paused = consumer.paused();
        var resume = new ArrayList<TopicPartition>();
        for (TopicPartition tp : paused) {
            if (!want.contains(tp)) {
                resume.add(tp);
            }
        }
        want.removeAll(paused);
        if (!want.isEmpty()) {
            consumer.pause(want);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    /** Forgets holds on partitions this consumer no longer owns (or owns afresh). */
    public void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(until::remove);
    }

    public Map<TopicPartition, Instant> snapshot() {
        return Map.copyOf(until);
    }
}
