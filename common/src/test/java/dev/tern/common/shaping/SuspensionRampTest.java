package dev.tern.common.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tern.common.policy.Rate;
import dev.tern.common.shaping.Backoff.Suspension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SuspensionRampTest {

    private static final Instant END = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration RAMP = Duration.ofMinutes(10);
    private final Suspension suspension = new Suspension(END, "421 4.7.0");

    @Test
    void allowsNothingWhileSuspended() {
        assertThat(suspension.allowedFraction(END.minusSeconds(1), RAMP)).isZero();
        assertThat(suspension.rampedRate(Rate.parse("50/s"), END.minusSeconds(1), RAMP)).isEmpty();
    }

    @Test
    void rampsLinearlyFromTheStartFractionToTheFullRate() {
        assertThat(suspension.allowedFraction(END, RAMP)).isEqualTo(Suspension.RAMP_START);
        assertThat(suspension.allowedFraction(END.plus(RAMP.dividedBy(2)), RAMP)).isCloseTo(0.55, within(1e-9));
        assertThat(suspension.allowedFraction(END.plus(RAMP), RAMP)).isEqualTo(1.0);
    }

    @Test
    void rampedRateStretchesThePeriodSoLowRatesDoNotRoundToZero() {
        Rate ramped = suspension.rampedRate(Rate.parse("1/h"), END, RAMP).orElseThrow();

        assertThat(ramped.count()).isEqualTo(1);
        assertThat(ramped.period()).isEqualTo(Duration.ofHours(10));
    }

    @Test
    void fullRateAfterTheRamp() {
        assertThat(suspension.rampedRate(Rate.parse("50/s"), END.plus(RAMP), RAMP)).hasValue(Rate.parse("50/s"));
    }
}
