package dev.tern.delivery.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The delivery service's Prometheus metrics (names are a contract with {@code deploy/grafana/}):
 * <ul>
 *   <li>{@code tern_delivery_attempts_total{outcome,destination_class}}: recipients per attempt
 *       outcome ({@code delivered}, {@code deferred}, {@code bounced}, {@code expired}; a dropped
 *       null-sender failure counts as {@code bounced}) and destination class ({@code mx} or the
 *       route's transport — bounded by the policy file, never a recipient domain);</li>
 *   <li>{@code tern_delivery_failures_total{category,outcome}}: failed recipients per attempt by
 *       bounce category (docs/ARCHITECTURE.md, "Bounce classification": eleven fixed labels such as
 *       {@code invalid-recipient}, {@code spam-block}) and outcome ({@code deferred}, {@code bounced},
 *       {@code expired}); counted with the attempts, so their sum is the failed attempts;</li>
 *   <li>{@code tern_delivery_attempt_seconds}: histogram of attempt latency per recipient group;</li>
 *   <li>{@code tern_delivery_inflight}: records being delivered by this pod;</li>
 *   <li>{@code tern_delivery_connections_active}: outbound connections open (idle or busy);</li>
 *   <li>{@code tern_delivery_retry_lag_seconds{tier}}: how late the last record taken from a tier
 *       was, relative to its due time (the tier's backlog, expressed as time);</li>
 *   <li>{@code tern_delivery_refused_total{reason}}: recipients failed without a connection,
 *       {@code suppressed} (on the suppression list) or {@code operator} (a bounce order); they
 *       also count as {@code bounced} attempts;</li>
 *   <li>{@code tern_delivery_smarthost_auth_failures_total{destination_class}}: connections whose
 *       smarthost rejected our credentials (the mail is deferred), per route.</li>
 * </ul>
 * Thread-safe.
 */
public final class DeliveryMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> retryLagMillis = new ConcurrentHashMap<>();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final Map<String, Counter> authFailures = new ConcurrentHashMap<>();
    private final Timer attemptTimer;

    public DeliveryMetrics(MeterRegistry registry, Supplier<Number> inflight, Supplier<Number> connections) {
        this.registry = registry;
        this.attemptTimer = Timer.builder("tern.delivery.attempt")
                .description("Latency of delivery attempts, per recipient group")
                // Fixed buckets from "local LMTP" to "RFC 5321 data timeout": few series per pod.
                .serviceLevelObjectives(ms(50), ms(100), ms(250), ms(500), ms(1000), ms(2500), ms(5000),
                        ms(10_000), ms(30_000), ms(60_000), ms(300_000), ms(600_000))
                .register(registry);
        Gauge.builder("tern.delivery.inflight", inflight).description("Records being delivered by this pod")
                .register(registry);
        Gauge.builder("tern.delivery.connections.active", connections)
                .description("Outbound SMTP/LMTP connections open").register(registry);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /** Counts one recipient's attempt outcome. */
    public void attempt(String outcome, String destinationClass) {
        attempts.computeIfAbsent(outcome + '\0' + destinationClass, k -> Counter.builder("tern.delivery.attempts")
                .description("Delivery attempts per recipient, by outcome and destination class")
                .tag("outcome", outcome).tag("destination_class", destinationClass)
                .register(registry)).increment();
    }

    /** Counts one recipient's failed attempt by its bounce category and outcome. */
    public void failure(String category, String outcome) {
        failures.computeIfAbsent(category + '\0' + outcome, k -> Counter.builder("tern.delivery.failures")
                .description("Failed delivery attempts per recipient, by bounce category and outcome")
                .tag("category", category).tag("outcome", outcome).register(registry)).increment();
    }

    /** Counts one recipient failed without a connection, for {@code reason} ({@code suppressed}, {@code operator}). */
    public void refused(String reason) {
        refused.computeIfAbsent(reason, r -> Counter.builder("tern.delivery.refused")
                .description("Recipients failed without a connection: suppressed, or bounced by the operator")
                .tag("reason", r).register(registry)).increment();
    }

    /** Counts one connection whose smarthost rejected our credentials, for the route's destination class. */
    public void smarthostAuthFailed(String destinationClass) {
        authFailures.computeIfAbsent(destinationClass, c -> Counter.builder("tern.delivery.smarthost.auth.failures")
                .description("Connections whose smarthost rejected the route's credentials")
                .tag("destination_class", c).register(registry)).increment();
    }

    public void attemptLatency(Duration d) {
        attemptTimer.record(d);
    }

    /** Records how far past its due time a record of {@code tier} was when it was taken. */
    public void retryLag(String tier, Duration lag) {
        retryLagMillis.computeIfAbsent(tier, t -> {
            var value = new AtomicLong();
            Gauge.builder("tern.delivery.retry.lag", value, v -> v.get() / 1000.0).baseUnit("seconds")
                    .description("Lateness of the last record taken from a retry tier").tag("tier", t)
                    .register(registry);
            return value;
        }).set(Math.max(0, lag.toMillis()));
    }
}
