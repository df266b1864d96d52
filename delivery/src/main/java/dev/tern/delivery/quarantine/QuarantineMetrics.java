package dev.tern.delivery.quarantine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * The quarantine's Prometheus metrics (names are a contract with {@code deploy/grafana/}):
 * <ul>
 *   <li>{@code tern_quarantine_messages}: messages held, from this pod's index (every pod indexes the
 *       whole topic, so every pod reports the same number: aggregate with {@code max});</li>
 *   <li>{@code tern_quarantine_actions_total{action}}: {@code released} and {@code deleted} by operators
 *       through this pod.</li>
 * </ul>
 */
public final class QuarantineMetrics {

    public static final String RELEASED = "released";
    public static final String DELETED = "deleted";

    private final Counter released;
    private final Counter deleted;

    public QuarantineMetrics(MeterRegistry registry, Supplier<Number> held) {
        Gauge.builder("tern.quarantine.messages", held).description("Messages held in quarantine")
                .register(registry);
        released = counter(registry, RELEASED);
        deleted = counter(registry, DELETED);
    }

    private static Counter counter(MeterRegistry registry, String action) {
        return Counter.builder("tern.quarantine.actions").description("Quarantined messages released or deleted")
                .tag("action", action).register(registry);
    }

    void action(String action) {
        (RELEASED.equals(action) ? released : deleted).increment();
    }
}
