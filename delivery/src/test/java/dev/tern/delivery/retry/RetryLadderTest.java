package dev.tern.delivery.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryLadderTest {

    private final RetryLadder ladder = new RetryLadder(List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(30)));

    @Test
    void firstFailureGoesToTheShortestTier() {
        assertThat(ladder.topicAfter(1)).isEqualTo("tern.retry.1m");
    }

    @Test
    void eachFailureClimbsOneRung() {
        assertThat(ladder.topicAfter(2)).isEqualTo("tern.retry.5m");
        assertThat(ladder.delayAfter(3)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void staysOnTheLastTierAfterTheTopOfTheLadder() {
        assertThat(ladder.topicAfter(4)).isEqualTo("tern.retry.30m");
        assertThat(ladder.topicAfter(40)).isEqualTo("tern.retry.30m");
    }

    @Test
    void refusesAnEmptyLadder() {
        assertThatThrownBy(() -> new RetryLadder(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
