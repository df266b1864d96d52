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
        assertThat(plan).filteredOn(t -> !t.name().equals(Topics.CONTROL))
                .allSatisfy(t -> assertThat(t.configs()).doesNotContainKey("cleanup.policy"));
    }
}
