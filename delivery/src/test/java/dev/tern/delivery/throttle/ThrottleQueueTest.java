package dev.tern.delivery.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.Rate;
import dev.tern.common.shaping.InMemoryBackoff;
import dev.tern.common.shaping.InMemoryConnectionLeases;
import dev.tern.common.shaping.InMemoryRateLimiter;
import dev.tern.delivery.metrics.ShapingMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThrottleQueueTest {

    private static final ShapingKey D = ShapingKey.destination("d");
    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final Executor loop = task -> context.runOnContext(v -> task.run());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ShapingMetrics metrics = new ShapingMetrics(registry, () -> false);
    private final DestinationPolicy policy = policy();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    /** Opens one token every {@code interval}, like a local GCRA without burst. */
    private static final class PacedGate implements DestinationGate {
        final long interval;
        final AtomicLong next = new AtomicLong(System.nanoTime());
        volatile Duration suspended = Duration.ZERO;

        PacedGate(Duration interval) {
            this.interval = interval.toNanos();
        }

        @Override
        public Optional<Slot> tryOpenConnection(ShapingKey key, DestinationPolicy policy) {
            return Optional.of(() -> { });
        }

        @Override
        public Duration tryReserveMessage(ShapingKey key, DestinationPolicy policy, int waiting) {
            long now = System.nanoTime();
            long due = next.get();
            if (due - now > 0) {
                return Duration.ofNanos(due - now);
            }
            next.set(now + interval);
            return Duration.ZERO;
        }

        @Override
        public void unreserveMessage(ShapingKey key, DestinationPolicy policy) {
            next.addAndGet(-interval);
        }

        @Override
        public Duration suspendedFor(ShapingKey key) {
            return suspended;
        }
    }

    private static DestinationPolicy policy() {
        var b = DestinationPolicy.BUILT_IN;
        return new DestinationPolicy("d", null, 10, 100, Rate.parse("10/s"), b.tls(), b.connectTimeout(),
                b.commandTimeout(), b.dataTimeout(), b.backoff(), null);
    }

    @AfterEach
    void close() {
        timer.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private CompletableFuture<Boolean> reserve(ThrottleQueue q, Duration maxWait) throws Exception {
        return CompletableFuture.supplyAsync(() -> q.reserve(D, policy, maxWait), loop).get(5, TimeUnit.SECONDS);
    }

    @Test
    void grantsWaitersInOrderAtTheGatesPace() throws Exception {
        var q = new ThrottleQueue(vertx, loop, new PacedGate(Duration.ofMillis(100)), 10, metrics, (key, routed) -> routed);
        long start = System.nanoTime();
        var first = reserve(q, Duration.ofSeconds(5));
        var second = reserve(q, Duration.ofSeconds(5));
        var third = reserve(q, Duration.ofSeconds(5));
        assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(third.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        assertThat(registry.get("tern.delivery.throttle.wait").timer().count()).isEqualTo(3);
    }

    @Test
    void defersPastTheBoundInsteadOfQueueing() throws Exception {
        var q = new ThrottleQueue(vertx, loop, new PacedGate(Duration.ofSeconds(1)), 2, metrics, (key, routed) -> routed);
        var sent = reserve(q, Duration.ofSeconds(5));
        var waiting1 = reserve(q, Duration.ofSeconds(5));
        var waiting2 = reserve(q, Duration.ofSeconds(5));
        var overflow = reserve(q, Duration.ofSeconds(5));
        assertThat(sent.get(1, TimeUnit.SECONDS)).isTrue();
        assertThat(overflow.get(1, TimeUnit.SECONDS)).as("past max-waiting").isFalse();
        assertThat(waiting1.isDone()).isFalse();
        assertThat(waiting2.isDone()).isFalse();
    }

    @Test
    void countsWaitersInTheThrottledGaugeUntilTheyAreServed() throws Exception {
        var q = new ThrottleQueue(vertx, loop, new PacedGate(Duration.ofMillis(300)), 10, metrics, (key, routed) -> routed);
        var gauge = registry.get("tern.delivery.throttled.messages").gauge();
        var sent = reserve(q, Duration.ofSeconds(5));
        var waiting1 = reserve(q, Duration.ofSeconds(5));
        var waiting2 = reserve(q, Duration.ofSeconds(5));
        assertThat(sent.get(1, TimeUnit.SECONDS)).isTrue();
        assertThat(gauge.value()).as("the two behind the first token").isEqualTo(2);
        assertThat(waiting1.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(waiting2.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(gauge.value()).isZero();
    }

    @Test
    void defersWhenTheWaitWouldOutlastMaxWait() throws Exception {
        var q = new ThrottleQueue(vertx, loop, new PacedGate(Duration.ofSeconds(2)), 10, metrics, (key, routed) -> routed);
        assertThat(reserve(q, Duration.ofMillis(200)).get(1, TimeUnit.SECONDS)).isTrue();
        assertThat(reserve(q, Duration.ofMillis(200)).get(1, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void defersEverythingWhileTheDestinationBacksOff() throws Exception {
        var gate = new PacedGate(Duration.ofMillis(1));
        gate.suspended = Duration.ofSeconds(30);
        var q = new ThrottleQueue(vertx, loop, gate, 10, metrics, (key, routed) -> routed);
        assertThat(reserve(q, Duration.ofSeconds(60)).get(1, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void aRaisedRateReachesMailAlreadyWaiting() throws Exception {
        var b = DestinationPolicy.BUILT_IN;
        var slow = new DestinationPolicy("d", null, 10, 100, Rate.parse("1/s"), b.tls(), b.connectTimeout(),
                b.commandTimeout(), b.dataTimeout(), b.backoff(), null);
        var live = new AtomicReference<>(slow);
        var gate = new SharedDestinationGate(new InMemoryRateLimiter(Duration.ofMillis(100), Clock.systemUTC()),
                new InMemoryConnectionLeases(Clock.systemUTC()), new AdaptiveBackoff(new InMemoryBackoff(
                        Duration.ofMinutes(1), Clock.systemUTC()), Duration.ofMinutes(1), 3, Duration.ofSeconds(1),
                        Clock.systemUTC(), metrics), Duration.ofSeconds(30), Duration.ofMillis(100), timer, metrics,
                () -> 1);
        var q = new ThrottleQueue(vertx, loop, gate, 10, metrics, (key, routed) -> live.get());
        long start = System.nanoTime();
        var waiting = new java.util.ArrayList<CompletableFuture<Boolean>>();
        for (int i = 0; i < 5; i++) {
            var routed = slow;
            waiting.add(CompletableFuture.supplyAsync(() -> q.reserve(D, routed, Duration.ofSeconds(30)), loop)
                    .get(5, TimeUnit.SECONDS));
        }
        assertThat(waiting.get(0).get(1, TimeUnit.SECONDS)).as("the first token is free").isTrue();

        // The reload: 1/s becomes 1000/s. At 1/s the other four would need four more seconds.
        live.set(new DestinationPolicy("d", null, 10, 100, Rate.parse("1000/s"), b.tls(), b.connectTimeout(),
                b.commandTimeout(), b.dataTimeout(), b.backoff(), null));
        for (var w : waiting) {
            assertThat(w.get(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("all five sent at the reloaded rate")
                .isLessThan(Duration.ofMillis(2500));
    }
}
