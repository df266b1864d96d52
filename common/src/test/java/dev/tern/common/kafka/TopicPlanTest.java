package dev.tern.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.queue.Topics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicPlanTest {

    @Test
    void controlIsOneCompactedPartitionAndTheQueuesAreNot() {
        List<TopicPlan> plan = TopicPlan.forLadder(List.of(Duration.ofMinutes(1)), 6, (short) 3, 1_000_000);

        assertThat(plan).filteredOn(t -> t.name().equals(Topics.CONTROL)).singleElement().satisfies(t -> {
            assertThat(t.partitions()).isEqualTo(1);
            assertThat(t.configs()).containsEntry("cleanup.policy", "compact").containsEntry("min.insync.replicas", "2");
        });
        assertThat(plan).filteredOn(t -> !t.name().equals(Topics.CONTROL) && !t.name().equals(Topics.QUARANTINE))
                .allSatisfy(t -> assertThat(t.configs()).doesNotContainKey("cleanup.policy"));
    }

    @Test
    void quarantineIsCompactedByQueueIdAndAgedOutAfterItsRetention() {
        List<TopicPlan> plan = TopicPlan.forLadder(List.of(Duration.ofMinutes(1)), 6, (short) 3, 1_000_000,
                Duration.ofDays(7));

        assertThat(plan).filteredOn(t -> t.name().equals(Topics.QUARANTINE)).singleElement().satisfies(t -> {
            assertThat(t.partitions()).isEqualTo(6);
            assertThat(t.configs()).containsEntry("cleanup.policy", "compact,delete")
                    .containsEntry("retention.ms", Long.toString(Duration.ofDays(7).toMillis()))
                    .containsEntry("max.message.bytes", Integer.toString(1_000_000 + KafkaClients.RECORD_OVERHEAD));
        });
        assertThat(TopicPlan.forLadder(List.of(), 1, (short) 1, 1000)).filteredOn(t -> t.name().equals(Topics.QUARANTINE))
                .singleElement().satisfies(t -> assertThat(t.configs()).containsEntry("retention.ms", "2592000000"));
    }
}
