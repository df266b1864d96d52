package dev.tern.delivery.throttle;

import dev.tern.delivery.metrics.ShapingMetrics;

/**
 * The traffic-shaping parts the delivery pipeline is built from: the {@link DestinationGate}
 * (shared or local), its metrics, and what must be closed at shutdown (lease renewal, the pod
 * counter). Produced once per application by {@code dev.tern.delivery.app.ShapingProducer}.
 */
public record TrafficShaping(DestinationGate gate, ShapingMetrics metrics, AutoCloseable resources) {
}
