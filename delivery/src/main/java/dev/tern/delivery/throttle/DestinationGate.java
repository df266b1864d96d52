package dev.tern.delivery.throttle;

import dev.tern.common.policy.DestinationPolicy;
import java.time.Duration;

/**
 * The one place the send path asks before it opens a connection to a destination or sends a
 * message over one (DESIGN.md "Shared rate limits and traffic shaping"): {@code max-connections},
 * {@code rate} and {@code max-messages-per-connection} of the destination's policy.
 *
 * <p>This is the seam for cluster-wide shaping: {@link LocalDestinationGate} enforces the limits
 * per pod; an Infinispan-backed gate (leases with a TTL, GCRA by compare-and-set) can replace it
 * without touching the send path. Implementations must be thread-safe and must not block: a
 * refusal tells the caller how long to wait, and the caller waits on a timer.
 */
public interface DestinationGate {

    /**
     * Asks for one more open connection to {@code destination}. True grants it; the caller must then
     * call {@link #connectionClosed} exactly once when that connection is gone (or failed to open).
     */
    boolean tryOpenConnection(String destination, DestinationPolicy policy);

    /** Returns a connection slot granted by {@link #tryOpenConnection}. */
    void connectionClosed(String destination);

    /**
     * Asks to send one message to {@code destination} now. {@link Duration#ZERO} grants it (the
     * token is taken); otherwise nothing is taken and the value says when asking again may succeed.
     */
    Duration tryReserveMessage(String destination, DestinationPolicy policy);

    /** Whether a connection that has carried {@code sent} messages may carry one more. */
    default boolean mayReuse(int sent, DestinationPolicy policy) {
        return sent < policy.maxMessagesPerConnection();
    }
}
