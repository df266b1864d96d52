package dev.tern.bounce.webhook;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records one webhook consumer has read since its last commit: the events to POST (kept as
 * the exact JSON bytes of {@code tern.events}) and, per partition, the first offset read (where a
 * reset must go back to) and the offset after the last (what a successful POST commits). Records
 * the endpoint does not want still move the offsets, so a commit covers them too.
 *
 * <p>Ready to send when it holds {@code batchSize} events, or when its oldest event has waited
 * {@code maxWait}. The delivery id is a hash of the endpoint name and every record position in the
 * batch, so a batch POSTed again, by this pod or by another after a crash, carries the same id.
 * Not thread-safe: owned by one {@link WebhookLoop}.
 */
final class PendingBatch {

    private final int batchSize;
    private final Duration maxWait;
    private final List<byte[]> events = new ArrayList<>();
    private final List<String> positions = new ArrayList<>();
    private final Map<TopicPartition, Long> from = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> next = new LinkedHashMap<>();
    private Instant oldest;

    PendingBatch(int batchSize, Duration maxWait) {
        this.batchSize = batchSize;
        this.maxWait = maxWait;
    }

    /** Whether another event fits. */
    boolean full() {
        return events.size() >= batchSize;
    }

    /** Records a read record; {@code event} is its JSON when the endpoint wants it, else null. */
    void add(TopicPartition tp, long offset, byte[] event, Instant now) {
        from.putIfAbsent(tp, offset);
        next.put(tp, offset + 1);
        if (event != null) {
            if (events.isEmpty()) {
                oldest = now;
            }
            events.add(event);
            positions.add(tp.topic() + "/" + tp.partition() + "@" + offset);
        }
    }

    /** Whether the events should be POSTed now: full, or the oldest has waited long enough. */
    boolean ready(Instant now) {
        return !events.isEmpty() && (full() || !now.isBefore(oldest.plus(maxWait)));
    }

    /** Events to POST. */
    int size() {
        return events.size();
    }

    /** Offsets read but not committed, with no event to send: a commit may move them on now. */
    boolean onlySkipped() {
        return events.isEmpty() && !next.isEmpty();
    }

    /** {@code {"events":[...]}} with each event's bytes exactly as on {@code tern.events}. */
    byte[] body() {
        var out = new ByteArrayOutputStream();
        out.writeBytes("{\"events\":[".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(events.get(i));
        }
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** The same for the same endpoint and the same records, whoever sends them. */
    String deliveryId(String endpoint) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            sha.update(endpoint.getBytes(StandardCharsets.UTF_8));
            for (String p : positions) {
                sha.update((byte) '\n');
                sha.update(p.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** What to commit once the endpoint took the batch. */
    Map<TopicPartition, OffsetAndMetadata> commitOffsets() {
        var out = new LinkedHashMap<TopicPartition, OffsetAndMetadata>();
        next.forEach((tp, offset) -> out.put(tp, new OffsetAndMetadata(offset)));
        return out;
    }

    /** Where each partition read into this batch must be sought back to for its records to be read again. */
    Map<TopicPartition, Long> firstOffsets() {
        return Map.copyOf(from);
    }

    Set<TopicPartition> partitions() {
        return Set.copyOf(from.keySet());
    }

    void clear() {
        events.clear();
        positions.clear();
        from.clear();
        next.clear();
        oldest = null;
    }
}
