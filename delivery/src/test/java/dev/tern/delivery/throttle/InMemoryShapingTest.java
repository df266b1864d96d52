package dev.tern.delivery.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.Rate;
import dev.tern.common.shaping.InMemoryBackoff;
import dev.tern.common.shaping.InMemoryConnectionLeases;
import dev.tern.common.shaping.InMemoryRateLimiter;
import dev.tern.delivery.metrics.ShapingMetrics;
import dev.tern.local.testkit.MutableClock;
import dev.tern.smtp.reply.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gate over in-memory backends, as a pod runs it with {@code tern.delivery.shaping.enabled=false}
 * (limits per pod): on one clock the test moves, for the rate limiter and the gate alike.
 */
class InMemoryShapingTest {

    private static final ShapingKey D = ShapingKey.destination("d");
    /** One emission interval of 10/s: no burst beyond one message. */
    private static final Duration BURST_WINDOW = Duration.ofMillis(100);

    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ShapingMetrics metrics = new ShapingMetrics(new SimpleMeterRegistry(), () -> false);
    private final SharedDestinationGate gate = new SharedDestinationGate(new InMemoryRateLimiter(BURST_WINDOW, clock),
            new InMemoryConnectionLeases(clock), new AdaptiveBackoff(new InMemoryBackoff(Duration.ofMinutes(5), clock),
                    Duration.ofMinutes(1), 3, Duration.ofSeconds(1), clock, metrics),
            Duration.ofHours(1), BURST_WINDOW, timer, metrics, () -> 1, this::nanos);

    /** The gate's monotonic time, on the same clock. */
    private long nanos() {
        Instant at = clock.instant();
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    @AfterEach
    void stop() {
        gate.close();
        timer.shutdownNow();
    }

    private static DestinationPolicy policy(int maxConnections, Rate rate) {
        var b = DestinationPolicy.BUILT_IN;
        return new DestinationPolicy("x", null, maxConnections, 2, rate, b.tls(), b.connectTimeout(),
                b.commandTimeout(), b.dataTimeout(), Duration.ofSeconds(30), null);
    }

    @Test
    void refusesConnectionsBeyondTheLimitUntilOneCloses() {
        var p = policy(2, null);
        var first = gate.tryOpenConnection(D, p);
        assertThat(first).isPresent();
        assertThat(gate.tryOpenConnection(D, p)).isPresent();
        assertThat(gate.tryOpenConnection(D, p)).isEmpty();
        assertThat(gate.tryOpenConnection(ShapingKey.destination("other"), p)).isPresent();
        first.get().release();
        first.get().release();
        assertThat(gate.leasesHeld()).as("release is idempotent").isEqualTo(2);
        assertThat(gate.tryOpenConnection(D, p)).isPresent();
    }

    @Test
    void spacesMessagesByTheRatesEmissionInterval() {
        var p = policy(10, Rate.parse("10/s"));
        assertThat(gate.tryReserveMessage(D, p, 1)).isZero();
        assertThat(gate.tryReserveMessage(D, p, 1)).isEqualTo(Duration.ofMillis(100));
        clock.advance(Duration.ofMillis(100));
        assertThat(gate.tryReserveMessage(D, p, 1)).isZero();
    }

    @Test
    void anUnusedTokenGivenBackCanBeTakenAgain() {
        var p = policy(10, Rate.parse("10/s"));
        assertThat(gate.tryReserveMessage(D, p, 1)).isZero();
        gate.unreserveMessage(D, p);
        assertThat(gate.tryReserveMessage(D, p, 1)).isZero();
        assertThat(gate.tryReserveMessage(D, p, 1)).as("only one was given back").isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void unlimitedRateNeverWaits() {
        var p = policy(10, null);
        for (int i = 0; i < 1000; i++) {
            assertThat(gate.tryReserveMessage(D, p, 1)).isZero();
        }
    }

    @Test
    void closesConnectionsAfterMaxMessagesPerConnection() {
        var p = policy(10, null);
        assertThat(gate.mayReuse(1, p)).isTrue();
        assertThat(gate.mayReuse(2, p)).isFalse();
    }

    @Test
    void backsOffOnThisPodAfterA421() {
        var p = policy(10, Rate.parse("10/s"));
        gate.replied(D, "mx", p, Reply.of(421, "4.7.0", "Too many connections"));
        assertThat(gate.suspendedFor(D)).isEqualTo(Duration.ofSeconds(30));
        assertThat(gate.tryOpenConnection(D, p)).isEmpty();
        assertThat(gate.tryReserveMessage(D, p, 1)).isEqualTo(Duration.ofSeconds(30));
    }
}
