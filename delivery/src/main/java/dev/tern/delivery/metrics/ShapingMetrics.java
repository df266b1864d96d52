package dev.tern.delivery.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Traffic-shaping metrics of the delivery service (names are a contract with {@code deploy/grafana/}):
 * <ul>
 *   <li>{@code tern_delivery_throttle_wait_seconds}: histogram of how long a message waited for a
 *       rate token of its destination (zero when it had one at once), deferred waits included;</li>
 *   <li>{@code tern_delivery_throttle_tokens_total{result}}: tokens asked of the rate limiter,
 *       {@code granted} or {@code denied};</li>
 *   <li>{@code tern_delivery_destination_backoff{destination_class}}: 1 while some destination of
 *       the class backs off after a 421 / 4.7.x rate reply or repeated connection failures;</li>
 *   <li>{@code tern_delivery_infinispan_fallback}: 1 while shaping runs on local limits because
 *       Infinispan is unreachable;</li>
 *   <li>{@code tern_delivery_leases_held}: cluster-wide connection leases this pod holds;</li>
 *   <li>{@code tern_delivery_throttled_messages}: messages waiting in this pod's memory for a rate
 *       token. Their records are consumed but not committed, so they are part of the group's lag
 *       and of {@code tern_delivery_due_records}, yet more pods would not send them sooner: the
 *       deliverable backlog is the due count minus these (docs/ARCHITECTURE.md, "Backlog metrics
 *       and autoscaling");</li>
 *   <li>{@code tern_delivery_shaping_remote_calls_total}: Hot Rod requests the shared rate limiter,
 *       leases and backoff sent (divided by delivered messages: the round trips per message).</li>
 * </ul>
 * Labels are bounded: destination classes are {@code mx} or the policy's transports. Thread-safe.
 */
public final class ShapingMetrics {

    private final MeterRegistry registry;
    private final Timer wait;
    private final Counter granted;
    private final Counter denied;
    private final Map<String, BooleanSupplier> backoffClasses = new ConcurrentHashMap<>();
    private volatile LongSupplier remoteCalls;

    public ShapingMetrics(MeterRegistry registry, BooleanSupplier fallback) {
        this.registry = registry;
        this.wait = Timer.builder("tern.delivery.throttle.wait")
                .description("Time messages waited for a rate token of their destination")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(50),
                        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30))
                .register(registry);
        this.granted = tokens("granted");
        this.denied = tokens("denied");
        Gauge.builder("tern.delivery.infinispan.fallback", () -> fallback.getAsBoolean() ? 1 : 0)
                .description("1 while traffic shaping uses local limits because Infinispan is unreachable")
                .register(registry);
    }

    /** Registers {@code tern_delivery_throttled_messages}, read from {@code waiting} on scrape. */
    public void throttledMessages(IntSupplier waiting) {
        Gauge.builder("tern.delivery.throttled.messages", waiting::getAsInt)
                .description("Messages waiting in this pod for a rate token of their destination").register(registry);
    }

    /** Registers {@code tern_delivery_leases_held}, read from {@code leasesHeld} on scrape. */
    public void leasesHeld(IntSupplier leasesHeld) {
        Gauge.builder("tern.delivery.leases.held", leasesHeld::getAsInt)
                .description("Cluster-wide connection leases held by this pod").register(registry);
    }

    /** Registers {@code tern_delivery_shaping_remote_calls_total}, read from {@code calls} on scrape. */
    public void remoteCalls(LongSupplier calls) {
        // Micrometer holds a function counter's state weakly: keep the supplier alive here.
        remoteCalls = calls;
        FunctionCounter.builder("tern.delivery.shaping.remote.calls", calls, LongSupplier::getAsLong)
                .description("Hot Rod requests sent for cluster-wide traffic shaping").register(registry);
    }

    private Counter tokens(String result) {
        return Counter.builder("tern.delivery.throttle.tokens").description("Rate tokens asked for, by result")
                .tag("result", result).register(registry);
    }

    public void waited(Duration d) {
        wait.record(d);
    }

    public void tokens(int grantedCount, int deniedCount) {
        granted.increment(grantedCount);
        denied.increment(deniedCount);
    }

    /** Registers the backoff gauge of {@code destinationClass} once; {@code suspended} is read on scrape. */
    public void backoffClass(String destinationClass, BooleanSupplier suspended) {
        backoffClasses.computeIfAbsent(destinationClass, c -> {
            Gauge.builder("tern.delivery.destination.backoff", () -> suspended.getAsBoolean() ? 1 : 0)
                    .description("1 while a destination of the class backs off cluster-wide")
                    .tag("destination_class", c).register(registry);
            return suspended;
        });
    }
}
