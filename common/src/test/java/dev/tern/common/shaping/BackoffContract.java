package dev.tern.common.shaping;

import static dev.tern.common.shaping.ShapingTestSupport.uniqueKey;
import static dev.tern.common.shaping.ShapingTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tern.common.shaping.Backoff.Suspension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Backoff} backend must show. For a shared backend each
 * {@link #newClient()} is a separate connection, as another pod would have; for the in-memory
 * one, the same instance. Clients are built with {@link #RETENTION}.
 */
abstract class BackoffContract {

    static final Duration RETENTION = Duration.ofSeconds(5);

    protected abstract Backoff newClient();

    @Test
    void suspensionIsVisibleToASecondClient() {
        String key = uniqueKey("421");
        Instant expectedEnd = Instant.now().plusSeconds(2);

        await(newClient().suspend(key, Duration.ofSeconds(2), "421 4.7.0 try again later"));
        Backoff other = newClient();

        assertThat(await(other.suspendedUntil(key))).hasValueSatisfying(
                until -> assertThat(until).isCloseTo(expectedEnd, within(500, ChronoUnit.MILLIS)));
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
        await(backoff.suspend(key, Duration.ofMillis(300), "connection failures"));
        assertThat(await(backoff.suspendedUntil(key))).isPresent();

        Thread.sleep(450);

        assertThat(await(backoff.suspendedUntil(key))).isEmpty();
        Suspension ended = await(newClient().lookup(key)).orElseThrow();
        assertThat(ended.allowedFraction(Instant.now(), Duration.ofSeconds(10)))
                .isBetween(Suspension.RAMP_START, 0.5);
    }

    @Test
    void shorterSuspensionDoesNotCutALongerOneShort() {
        String key = uniqueKey("longest");
        Instant longEnd = Instant.now().plusSeconds(60);

        await(newClient().suspend(key, Duration.ofSeconds(60), "421 rate"));
        await(newClient().suspend(key, Duration.ofSeconds(1), "connection failures"));

        Suspension current = await(newClient().lookup(key)).orElseThrow();
        assertThat(current.until()).isCloseTo(longEnd, within(1, ChronoUnit.SECONDS));
        assertThat(current.reason()).isEqualTo("421 rate");
    }

    @Test
    void longerSuspensionExtendsAShorterOne() {
        String key = uniqueKey("extend");
        Instant longEnd = Instant.now().plusSeconds(60);

        await(newClient().suspend(key, Duration.ofSeconds(1), "connection failures"));
        await(newClient().suspend(key, Duration.ofSeconds(60), "421 rate"));

        assertThat(await(newClient().suspendedUntil(key))).hasValueSatisfying(
                until -> assertThat(until).isCloseTo(longEnd, within(1, ChronoUnit.SECONDS)));
    }
}
