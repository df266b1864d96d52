package dev.tern.bounce.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Exponential back-off with a cap and jitter in the upper half. */
class RetryBackoffTest {

    private static final Duration INITIAL = Duration.ofSeconds(1);
    private static final Duration CAP = Duration.ofSeconds(30);

    @Test
    void doublesPerFailureUpToTheCapWithoutJitterAtItsTop() {
        var top = new RetryBackoff(INITIAL, CAP, () -> 0.999_999_9);

        assertThat(top.after(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(top.after(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(top.after(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(top.after(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(top.after(6)).as("32s is past the cap").isEqualTo(CAP);
        assertThat(top.after(1_000)).as("no overflow after many failures").isEqualTo(CAP);
    }

    @Test
    void jitterPicksAPointInTheUpperHalf() {
        assertThat(new RetryBackoff(INITIAL, CAP, () -> 0.0).after(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(new RetryBackoff(INITIAL, CAP, () -> 0.5).after(3)).isEqualTo(Duration.ofSeconds(3));
        assertThat(new RetryBackoff(INITIAL, CAP, () -> 0.0).after(20)).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void realRandomnessStaysWithinTheBounds() {
        var backoff = new RetryBackoff(INITIAL, CAP, Math::random);
        for (int i = 0; i < 1_000; i++) {
            assertThat(backoff.after(4)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
        }
    }
}
