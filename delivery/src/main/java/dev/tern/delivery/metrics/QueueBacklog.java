package dev.tern.delivery.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The delivery group's backlog per queue topic, cluster-wide, as gauges (docs/ARCHITECTURE.md,
 * "Backlog metrics and autoscaling"):
 * <ul>
 *   <li>{@code tern_delivery_backlog_records{topic}}: records between the group's committed offset
 *       and the end of the topic (Kafka's consumer lag);</li>
 *   <li>{@code tern_delivery_due_records{topic}}: those of them that are due now. On
 *       {@code tern.inbound} all are. A retry tier has one fixed delay, and a record is written to
 *       it when its attempt failed with a due time of that moment plus the delay, so the records
 *       written more than a delay ago are the due ones: the first offset at or after
 *       {@code now - delay} (Kafka's offset-for-timestamp lookup) splits the tier's lag in two.</li>
 *   <li>{@code tern_delivery_oldest_message_age_seconds{topic}}: how long ago the message at the
 *       head of the oldest backlogged partition was first received (0 without a backlog), read by
 *       a {@link HeadReader}: the number that grows when a queue is stuck.</li>
 * </ul>
 * The due count is the signal to scale on: a tier's lag also counts mail that is only waiting for
 * its time, which more pods cannot send sooner. Every pod reports the same numbers; dashboards and
 * the autoscaler take the maximum over pods.
 *
 * <p>Blocking (admin client): {@link #refresh()} runs on a timer thread of its own.
 */
public final class QueueBacklog {

    /** A queue topic and how long after it was written a record in it comes due (zero: at once). */
    public record Tier(String topic, Duration delay) {
    }

    /** When the messages at given offsets were first received: see {@link QueueHeads}. */
    public interface HeadReader {
        /** Epoch milliseconds per partition, for those partitions whose record could be read. */
        Map<TopicPartition, Long> firstReceived(Map<TopicPartition, Long> heads);
    }

    private final GroupOffsets offsets;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicLong> backlog = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> due = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> oldestAge = new ConcurrentHashMap<>();
    private final HeadReader heads;

    /** {@code heads}: reads the backlog's head records for the age gauge; null for no age gauge. */
    public QueueBacklog(Admin admin, String groupId, MeterRegistry registry, Clock clock, HeadReader heads) {
        this.heads = heads;
        this.offsets = new GroupOffsets(admin, groupId);
        this.registry = registry;
        this.clock = clock;
    }

    /** Reads the group's offsets and the topics' ends once and updates the gauges of {@code tiers}. */
    public void refresh(List<Tier> tiers) throws Exception {
        Map<String, Duration> delays = new HashMap<>();
        tiers.forEach(t -> delays.put(t.topic(), t.delay()));
        var ranges = offsets.ranges(delays.keySet());
        long now = clock.millis();
        var dueEnds = offsets.offsets(ranges.keySet(), tp -> delays.get(tp.topic()).isZero() ? OffsetSpec.latest()
                : OffsetSpec.forTimestamp(now - delays.get(tp.topic()).toMillis()));
        var waiting = new HashMap<String, Long>();
        var dueNow = new HashMap<String, Long>();
        var backlogged = new HashMap<TopicPartition, Long>();
        delays.keySet().forEach(t -> {
            waiting.put(t, 0L);
            dueNow.put(t, 0L);
        });
        ranges.forEach((tp, range) -> {
            long from = range.from();
            long end = range.end();
            // No record written at or after the cut-off: everything up to the end is due.
            long dueEnd = dueEnds.get(tp) < 0 ? end : Math.min(end, dueEnds.get(tp));
            waiting.merge(tp.topic(), range.waiting(), Long::sum);
            if (end > from) {
                backlogged.put(tp, from);
            }
            dueNow.merge(tp.topic(), Math.max(0, dueEnd - from), Long::sum);
        });
        waiting.forEach((topic, n) -> gauge(backlog, "tern.delivery.backlog.records",
                "Records the delivery group has not consumed yet", topic).set(n));
        dueNow.forEach((topic, n) -> gauge(due, "tern.delivery.due.records",
                "Records the delivery group has not consumed yet that are due now", topic).set(n));
        if (heads != null) {
            var ages = new HashMap<String, Long>();
            delays.keySet().forEach(t -> ages.put(t, 0L));
            heads.firstReceived(backlogged).forEach((tp, received) ->
                    ages.merge(tp.topic(), Math.max(0, now - received), Math::max));
            ages.forEach((topic, ms) -> gauge(oldestAge, "tern.delivery.oldest.message.age.seconds",
                    "Seconds since the message at the head of the oldest backlogged partition was first received",
                    topic).set(ms / 1000));
        }
    }

    /** The last oldest-message age seen for {@code topic} in seconds, or -1 before the first refresh. */
    public long oldestAgeSeconds(String topic) {
        AtomicLong v = oldestAge.get(topic);
        return v == null ? -1 : v.get();
    }

    /** The last backlog seen for {@code topic}, or -1 before the first refresh. */
    public long backlog(String topic) {
        AtomicLong v = backlog.get(topic);
        return v == null ? -1 : v.get();
    }

    /** The last due count seen for {@code topic}, or -1 before the first refresh. */
    public long due(String topic) {
        AtomicLong v = due.get(topic);
        return v == null ? -1 : v.get();
    }

    private AtomicLong gauge(Map<String, AtomicLong> values, String name, String description, String topic) {
        return values.computeIfAbsent(topic, t -> {
            var value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).description(description).tag("topic", t).register(registry);
            return value;
        });
    }
}
