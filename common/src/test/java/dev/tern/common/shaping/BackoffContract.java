package dev.tern.common.shaping;

import static dev.tern.common.shaping.ShapingTestSupport.uniqueKey;
import static dev.tern.common.shaping.ShapingTestSupport.await;
import static dev.tern.common.shaping.ShapingTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.shaping.Backoff.Suspension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Backoff} backend must show. For a shared backend each
 * {@link #newClient()} is a separate connection, as another pod would have; for the in-memory
 * one, the same instance. Clients are built with {@link #RETENTION}.
 */
abstract class BackoffContract {

    static final Duration RETENTION = Duration.ofSeconds(5);

    /**
     * Milliseconds a backend's clock may differ from this JVM's (an Infinispan server on this
     * machine: none to speak of, but its timestamps are its own).
     */
    static final long CLOCK_SKEW = 100;

    protected abstract Backoff newClient();

    @Test
    void suspensionIsVisibleToASecondClient() {
        String key = uniqueKey("421");
        Backoff backoff = newClient();
        Backoff other = newClient();
        Instant before = Instant.now();
        await(backoff.suspend(key, Duration.ofSeconds(2), "421 4.7.0 try again later"));
        Instant after = Instant.now();

        assertThat(await(other.suspendedUntil(key))).hasValueSatisfying(until -> assertThat(until)
                .isBetween(before.plusSeconds(2).minusMillis(CLOCK_SKEW), after.plusSeconds(2).plusMillis(CLOCK_SKEW)));
        assertThat(await(other.lookup(key))).map(Suspension::reason).hasValue("421 4.7.0 try again later");
    }

    @Test
    void unknownKeyIsNotSuspended() {
        Backoff backoff = newClient();
        String key = uniqueKey("never");

        assertThat(await(backoff.suspendedUntil(key))).isEmpty();
        assertThat(await(backoff.lookup(key))).isEmpty();
    }

    @Test
    void suspensionEndsAfterItsDurationAndStaysVisibleForTheRamp() throws Exception {
        Backoff backoff = newClient();
        String key = uniqueKey("ends");
        await(backoff.suspend(key, Duration.ofSeconds(1), "connection failures"));
        assertThat(await(backoff.suspendedUntil(key))).isPresent();

        assertThat(eventually(() -> await(backoff.suspendedUntil(key)), java.util.Optional::isEmpty))
                .as("ended after its second").isEmpty();
        Suspension ended = await(newClient().lookup(key)).orElseThrow();
        assertThat(ended.allowedFraction(Instant.now(), Duration.ofSeconds(10)))
                .isBetween(Suspension.RAMP_START, 0.5);
    }

    @Test
    void shorterSuspensionDoesNotCutALongerOneShort() {
        String key = uniqueKey("longest");
        Backoff first = newClient();
        Backoff second = newClient();
        Instant before = Instant.now();
        await(first.suspend(key, Duration.ofSeconds(60), "421 rate"));
        Instant after = Instant.now();
        await(second.suspend(key, Duration.ofSeconds(1), "connection failures"));

        Suspension current = await(newClient().lookup(key)).orElseThrow();
        assertThat(current.until()).isBetween(before.plusSeconds(60).minusMillis(CLOCK_SKEW),
                after.plusSeconds(60).plusMillis(CLOCK_SKEW));
        assertThat(current.reason()).isEqualTo("421 rate");
    }

    @Test
    void longerSuspensionExtendsAShorterOne() {
        String key = uniqueKey("extend");
        Backoff first = newClient();
        Backoff second = newClient();
        await(first.suspend(key, Duration.ofSeconds(1), "connection failures"));
        Instant before = Instant.now();
        await(second.suspend(key, Duration.ofSeconds(60), "421 rate"));
        Instant after = Instant.now();

        assertThat(await(newClient().suspendedUntil(key))).hasValueSatisfying(until -> assertThat(until)
                .isBetween(before.plusSeconds(60).minusMillis(CLOCK_SKEW), after.plusSeconds(60).plusMillis(CLOCK_SKEW)));
    }
}
