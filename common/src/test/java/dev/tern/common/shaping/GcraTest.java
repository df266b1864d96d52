package dev.tern.common.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.common.policy.Rate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The GCRA arithmetic at fixed times: interval T = 10, burst B = 5 unless stated. */
class GcraTest {

    private static final long T = 10;
    private static final long NOW = 1_000;

    @Test
    void freshKeyGrantsOneBurstAndWaitsForTheNextBatch() {
        Gcra.Outcome o = Gcra.take(NOW, NOW, T, 5, 20);

        assertThat(o.granted()).isEqualTo(5);
        assertThat(o.newTat()).isEqualTo(NOW + 50);
        // The next 5 fit when the TAT is back within the tolerance: 50 later.
        assertThat(o.waitNanos()).isEqualTo(50);
    }

    @Test
    void exhaustedKeyGrantsOneTokenPerInterval() {
        long tat = NOW + 50;
        assertThat(Gcra.take(tat, NOW, T, 5, 1).granted()).isZero();
        assertThat(Gcra.take(tat, NOW + 9, T, 5, 1).granted()).isZero();
        assertThat(Gcra.take(tat, NOW + 10, T, 5, 1).granted()).isEqualTo(1);
        assertThat(Gcra.take(tat, NOW + 30, T, 5, 9).granted()).isEqualTo(3);
    }

    @Test
    void denialReportsTheWaitForTheRestOfTheBatchCappedAtTheBurst() {
        long tat = NOW + 50;

        assertThat(Gcra.take(tat, NOW, T, 5, 1).waitNanos()).isEqualTo(10);
        assertThat(Gcra.take(tat, NOW, T, 5, 3).waitNanos()).isEqualTo(30);
        assertThat(Gcra.take(tat, NOW, T, 5, 100).waitNanos()).isEqualTo(50);
    }

    @Test
    void idleKeyDoesNotAccumulateMoreThanOneBurst() {
        Gcra.Outcome o = Gcra.take(NOW - 1_000_000, NOW, T, 5, 100);

        assertThat(o.granted()).isEqualTo(5);
    }

    @Test
    void loweredRateWaitsOutTheTatOfTheHigherOne() {
        // A TAT far ahead (left by a larger burst) grants nothing and a positive wait.
        Gcra.Outcome o = Gcra.take(NOW + 500, NOW, T, 5, 1);

        assertThat(o.granted()).isZero();
        assertThat(o.newTat()).isEqualTo(NOW + 500);
        assertThat(o.waitNanos()).isEqualTo(460);
    }

    @Test
    void burstIsTheTokensInTheWindowAndAtLeastOne() {
        assertThat(Gcra.burst(Rate.parse("1000/s"), Duration.ofMillis(100))).isEqualTo(100);
        assertThat(Gcra.burst(Rate.parse("5/s"), Duration.ofMillis(100))).isEqualTo(1);
        assertThat(Gcra.burst(Rate.parse("1/h"), Duration.ofMillis(100))).isEqualTo(1);
    }

    @Test
    void rejectsAskingForNothing() {
        assertThatThrownBy(() -> Gcra.take(NOW, NOW, T, 5, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
