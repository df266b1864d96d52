package dev.tern.delivery.admin;

import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.queue.RecordCodec;
import dev.tern.delivery.metrics.GroupOffsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;

/**
 * What is queued for the delivery consumer group, cluster-wide (not just this pod's partitions):
 * <ul>
 *   <li>{@code waiting}: records per topic between the group's committed offset and the end (the
 *       group's lag; on a retry tier, mail waiting for its due time plus mail being delivered);</li>
 *   <li>{@code byDestination}: recipients per recipient domain and topic in those records, read
 *       from the envelope headers by a {@link QueueScan}, at most {@code maxRecords} records and
 *       10 seconds ({@code truncated} says when the scan stopped early).</li>
 * </ul>
 * Blocking (admin client, consumer); call from a worker thread. Nothing is committed.
 */
public final class QueueReport {

    private final GroupOffsets offsets;
    private final QueueScan scan;

    public QueueReport(Admin admin, String bootstrap, KafkaClientProperties kafkaProperties, String groupId,
            int maxRecords) {
        offsets = new GroupOffsets(admin, groupId);
        scan = new QueueScan(offsets, bootstrap, kafkaProperties, maxRecords, Duration.ofSeconds(10),
                "tern-delivery-queue-report");
    }

    public Map<String, Object> report(List<String> topics) throws Exception {
        var ranges = offsets.ranges(topics);
        var waiting = new TreeMap<String, Long>();
        ranges.forEach((tp, range) -> waiting.merge(tp.topic(), range.waiting(), Long::sum));
        var byDestination = new TreeMap<String, Map<String, Long>>();
        var summary = scan.read(ranges, r -> {
            for (String address : RecordCodec.recipientAddresses(r.headers())) {
                byDestination.computeIfAbsent(domain(address), d -> new TreeMap<>()).merge(r.topic(), 1L, Long::sum);
            }
        });
        var out = new LinkedHashMap<String, Object>();
        out.put("waiting", waiting);
        out.put("byDestination", byDestination);
        out.put("scanned", summary.scanned());
        out.put("truncated", summary.truncated());
        return out;
    }

    private static String domain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
