package dev.tern.delivery.client;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.delivery.throttle.ShapingKey;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** A caller of {@link ConnectionPool#acquire} waiting for a connection or a slot of its key. */
record Waiter(ConnectionPool.Key key, DestinationPolicy policy, CompletableFuture<ConnectionPool.Lease> future) {

    /** Whether a connection opened for {@code k} may carry this waiter's mail. */
    boolean accepts(ConnectionPool.Key k) {
        if (!k.withSource(key.sourceIp()).equals(key)) {
            return false;
        }
        return policy.egress().isEmpty() ? Objects.equals(k.sourceIp(), key.sourceIp())
                : policy.egress().stream().anyMatch(s -> s.address().equals(k.sourceIp()));
    }

    /** Whether a slot freed under {@code shapingKey} may let this waiter go. */
    boolean involves(ShapingKey shapingKey) {
        if (key.shaping().equals(shapingKey)) {
            return true;
        }
        if (shapingKey.isSource()) {
            return policy.egress().stream().anyMatch(s -> s.address().equals(shapingKey.source()));
        }
        return policy.perSource() && key.shaping().equals(shapingKey.shared());
    }
}
