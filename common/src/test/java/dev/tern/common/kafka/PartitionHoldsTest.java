package dev.tern.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PartitionHoldsTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
    private final PartitionHolds holds = new PartitionHolds();

    @BeforeEach
    void setUp() {
        consumer.assign(List.of(P0, P1));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    }

    @Test
    void aHeldPartitionIsSoughtBackPausedAndResumedWhenDue() {
        consumer.addRecord(new ConsumerRecord<>("t", 0, 0, "k", "v0"));
        consumer.addRecord(new ConsumerRecord<>("t", 0, 1, "k", "v1"));
        assertThat(consumer.poll(java.time.Duration.ZERO).count()).isEqualTo(2);

        holds.hold(consumer, P0, 1, NOW.plusSeconds(10));
        assertThat(consumer.position(P0)).isEqualTo(1);
        assertThat(consumer.paused()).containsExactly(P0);

        holds.apply(consumer, NOW.plusSeconds(9), false);
        assertThat(consumer.paused()).containsExactly(P0);
        holds.apply(consumer, NOW.plusSeconds(10), false);
        assertThat(consumer.paused()).isEmpty();
        assertThat(holds.snapshot()).isEmpty();
    }

    @Test
    void atTheBoundEveryPartitionPausesAndOnlyHeldOnesStayPausedAfter() {
        holds.hold(consumer, P1, 0, NOW.plusSeconds(60));
        holds.apply(consumer, NOW, true);
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);
        holds.apply(consumer, NOW, false);
        assertThat(consumer.paused()).containsExactly(P1);
    }

    @Test
    void forgottenHoldsNoLongerKeepAPartitionPaused() {
        holds.hold(consumer, P0, 0, NOW.plusSeconds(60));
        holds.forget(List.of(P0));
        assertThat(holds.snapshot()).isEmpty();
        holds.apply(consumer, NOW, false);
        assertThat(consumer.paused()).isEmpty();
    }
}
