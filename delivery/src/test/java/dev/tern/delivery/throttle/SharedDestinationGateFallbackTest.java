package dev.tern.delivery.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.Rate;
import dev.tern.common.shaping.Fallback;
import dev.tern.delivery.app.ShapingProducer;
import dev.tern.delivery.config.DeliveryConfig;
import dev.tern.delivery.metrics.ShapingMetrics;
import dev.tern.local.runtime.process.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared gate with Infinispan unreachable (a Hot Rod client pointed at a port nobody listens
 * on): delivery goes on at the local share of the limits, {@code global / live pods}, and the
 * fallback metric says so.
 */
class SharedDestinationGateFallbackTest {

    record Config(boolean enabled, Duration burstWindow, Duration leaseTtl, Duration callTimeout,
            Duration probeInterval, int failuresToFallback, Duration backoffRetention, Duration ramp, Duration backoffRefresh,
            Duration contendedIdleTimeout, int failureThreshold, int maxWaiting, OptionalInt livePods, Duration livePodsRefresh, String ratesCache,
            String leasesCache, String backoffCache) implements DeliveryConfig.Shaping {
    }

    static final Config CONFIG = new Config(true, Duration.ofMillis(200), Duration.ofSeconds(15),
            Duration.ofMillis(200), Duration.ofSeconds(2), 1, Duration.ofMinutes(5), Duration.ofMinutes(1),
            Duration.ofSeconds(1), Duration.ofSeconds(1), 5, 200, OptionalInt.of(2), Duration.ofSeconds(30), "tern-shaping-rates",
            "tern-shaping-leases", "tern-shaping-backoff");

    private RemoteCacheManager dead;
    private ScheduledExecutorService timer;
    private SharedDestinationGate gate;
    private final Fallback fallback = new Fallback(() -> 2, CONFIG.callTimeout(), CONFIG.probeInterval(),
            Clock.systemUTC());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        dead = InfinispanClient.create("127.0.0.1:" + FreePorts.pick());
        timer = Executors.newSingleThreadScheduledExecutor();
        gate = ShapingProducer.build(CONFIG, () -> dead, fallback, timer,
                new ShapingMetrics(registry, fallback::degraded), "test-pod");
    }

    @AfterEach
    void stop() {
        gate.close();
        timer.shutdownNow();
        dead.stop();
    }

    private static DestinationPolicy policy(int maxConnections, Rate rate) {
        var b = DestinationPolicy.BUILT_IN;
        return new DestinationPolicy("fallback.test", null, maxConnections, 100, rate, b.tls(), b.connectTimeout(),
                b.commandTimeout(), b.dataTimeout(), b.backoff(), null);
    }

    @Test
    void keepsDeliveringAtTheLocalShareWhileInfinispanIsUnreachable() throws Exception {
        var p = policy(4, Rate.parse("40/s"));
        // Warm-up: the first shared call times out and switches to the fallback (waited for, not
        // timed: a busy machine may take longer than the call timeout to notice).
        long warmUpEnd = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!fallback.degraded() && System.nanoTime() < warmUpEnd) {
            gate.tryReserveMessage(ShapingKey.destination("fallback.test"), p, 8);
            Thread.sleep(5);
        }
        assertThat(fallback.degraded()).isTrue();
        assertThat(registry.get("tern.delivery.infinispan.fallback").gauge().value()).isEqualTo(1.0);

        // Four seconds at full demand: 40/s over 2 live pods is 20/s here.
        long window = Duration.ofSeconds(4).toNanos();
        long start = System.nanoTime();
        int granted = 0;
        while (System.nanoTime() - start < window) {
            Duration wait = gate.tryReserveMessage(ShapingKey.destination("fallback.test"), p, 8);
            if (wait.isZero()) {
                granted++;
            } else {
                Thread.sleep(Math.max(1, Math.min(5, wait.toMillis())));
            }
        }
        double rate = granted / 4.0;
        System.out.printf("fallback: %d tokens in 4 s = %.1f/s (global 40/s, 2 pods)%n", granted, rate);
        // Never above the local share; a busy machine may ask less often than full demand would.
        assertThat(rate).as("at most the local share").isLessThanOrEqualTo(20 * 1.1);
        assertThat(rate).as("near the local share").isGreaterThanOrEqualTo(20 * 0.7);

        // Connections: max-connections 4 over 2 pods is 2 here.
        var slots = new ArrayList<DestinationGate.Slot>();
        for (int i = 0; i < 10; i++) {
            gate.tryOpenConnection(ShapingKey.destination("fallback.test"), p).ifPresent(slots::add);
            Thread.sleep(20);
        }
        assertThat(slots).hasSize(2);
        slots.forEach(DestinationGate.Slot::release);
        assertThat(gate.tryOpenConnection(ShapingKey.destination("fallback.test"), p)).as("a released slot is free again").isPresent();
    }
}
