package dev.tern.bounce.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Batching: when a batch is ready, what it commits and resets to, its body and its delivery id. */
class PendingBatchTest {

    private static final TopicPartition P0 = new TopicPartition("tern.events", 0);
    private static final TopicPartition P1 = new TopicPartition("tern.events", 1);
    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    private static byte[] event(String id) {
        return ("{\"messageId\":\"" + id + "\",\"outcome\":\"DELIVERED\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void isReadyWhenFullOrWhenTheOldestEventHasWaitedMaxWait() {
        var batch = new PendingBatch(3, Duration.ofSeconds(2));
        assertThat(batch.ready(T0.plusSeconds(60))).as("empty is never ready").isFalse();

        batch.add(P0, 10, event("a"), T0);
        batch.add(P0, 11, event("b"), T0.plusSeconds(1));
        assertThat(batch.ready(T0.plusMillis(1_999))).isFalse();
        assertThat(batch.ready(T0.plusSeconds(2))).as("the first event's wait counts").isTrue();

        batch.add(P1, 5, event("c"), T0.plusSeconds(1));
        assertThat(batch.full()).isTrue();
        assertThat(batch.ready(T0.plusSeconds(1))).as("full: no need to wait").isTrue();
    }

    @Test
    void skippedRecordsMoveTheOffsetsButNotTheClock() {
        var batch = new PendingBatch(10, Duration.ofSeconds(2));
        batch.add(P0, 10, null, T0);
        batch.add(P0, 11, null, T0);

        assertThat(batch.size()).isZero();
        assertThat(batch.onlySkipped()).isTrue();
        assertThat(batch.ready(T0.plusSeconds(60))).isFalse();
        assertThat(batch.commitOffsets()).containsEntry(P0, new OffsetAndMetadata(12));

        batch.add(P0, 12, event("a"), T0.plusSeconds(10));
        assertThat(batch.onlySkipped()).isFalse();
        assertThat(batch.ready(T0.plusSeconds(11))).as("the wait starts at the first wanted event").isFalse();
    }

    @Test
    void commitsPastTheLastRecordAndResetsToTheFirstOfEachPartition() {
        var batch = new PendingBatch(10, Duration.ofSeconds(2));
        batch.add(P0, 10, event("a"), T0);
        batch.add(P1, 3, null, T0);
        batch.add(P0, 11, null, T0);
        batch.add(P1, 4, event("b"), T0);

        assertThat(batch.commitOffsets()).containsEntry(P0, new OffsetAndMetadata(12))
                .containsEntry(P1, new OffsetAndMetadata(5)).hasSize(2);
        assertThat(batch.firstOffsets()).containsEntry(P0, 10L).containsEntry(P1, 3L).hasSize(2);

        batch.clear();
        assertThat(batch.size()).isZero();
        assertThat(batch.commitOffsets()).isEmpty();
        assertThat(batch.onlySkipped()).isFalse();
    }

    @Test
    void theBodyHoldsTheEventsBytesAsRead() {
        var batch = new PendingBatch(10, Duration.ofSeconds(2));
        assertThat(new String(batch.body(), StandardCharsets.UTF_8)).isEqualTo("{\"events\":[]}");
        batch.add(P0, 1, event("a"), T0);
        batch.add(P0, 2, event("b"), T0);

        assertThat(new String(batch.body(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"events\":[{\"messageId\":\"a\",\"outcome\":\"DELIVERED\"},{\"messageId\":\"b\",\"outcome\":\"DELIVERED\"}]}");
    }

    @Test
    void theDeliveryIdDependsOnTheEndpointAndTheRecordsOnly() {
        var one = new PendingBatch(10, Duration.ofSeconds(2));
        one.add(P0, 1, event("a"), T0);
        one.add(P1, 7, event("b"), T0);
        var same = new PendingBatch(5, Duration.ofSeconds(9));
        same.add(P0, 1, event("a"), T0.plusSeconds(100));
        same.add(P1, 7, event("b"), T0.plusSeconds(100));
        var other = new PendingBatch(10, Duration.ofSeconds(2));
        other.add(P0, 1, event("a"), T0);
        other.add(P1, 8, event("b"), T0);

        assertThat(one.deliveryId("crm")).isEqualTo(same.deliveryId("crm")).hasSize(32).matches("[0-9a-f]+");
        assertThat(one.deliveryId("crm")).isNotEqualTo(other.deliveryId("crm"));
        assertThat(one.deliveryId("crm")).isNotEqualTo(one.deliveryId("audit"));
    }
}
