package dev.tern.delivery.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Metrics of the operator's queue actions (docs/ARCHITECTURE.md, "Queue actions"):
 * <ul>
 *   <li>{@code tern_delivery_operator_actions_total{action}}: actions taken through this pod's
 *       admin API ({@code purge}, {@code retry-now}, {@code reroute}, {@code hold}, {@code release};
 *       a purge's dry run is not an action);</li>
 *   <li>{@code tern_delivery_held_messages}: messages on hold; every pod holds the same orders, so
 *       dashboards take the max across pods, not the sum.</li>
 * </ul>
 * Thread-safe.
 */
public final class QueueActionMetrics {

    /** The actions of the admin API ({@code QueueActionRoutes}). */
    private static final String[] ACTIONS = {"purge", "retry-now", "reroute", "hold", "release"};

    private final MeterRegistry registry;
    private final Map<String, Counter> actions = new ConcurrentHashMap<>();

    public QueueActionMetrics(MeterRegistry registry, Supplier<Number> held) {
        this.registry = registry;
        Gauge.builder("tern.delivery.held.messages", held).description("Messages the operator holds")
                .register(registry);
        // Every action's series exists from the start, at 0, so a rate over it is 0 rather than empty.
        for (String action : ACTIONS) {
            counter(action);
        }
    }

    public void action(String action) {
        counter(action).increment();
    }

    private Counter counter(String action) {
        return actions.computeIfAbsent(action, a -> Counter.builder("tern.delivery.operator.actions")
                .description("Queue actions taken through the admin API").tag("action", a).register(registry));
    }
}
