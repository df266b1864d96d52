package dev.tern.delivery.throttle;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.smtp.reply.Reply;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one place the send path asks before it opens a connection to a destination or sends a
 * message over one (docs/ARCHITECTURE.md, "Traffic shaping"): {@code max-connections},
 * {@code rate} and {@code max-messages-per-connection} of the destination's policy, and the
 * destination's adaptive backoff.
 *
 * <p>Limits are kept per <em>shaping key</em> ({@link ShapingKey}, chosen by {@link ShapingKeys}):
 * the destination name, or the policy's MX rollup pattern when the MX host matches it.
 * {@link SharedDestinationGate} is the implementation: over Infinispan it holds the limits
 * cluster-wide, over in-memory backends per pod.
 *
 * <p>Implementations must be thread-safe and must not block: a refusal tells the caller how long
 * to wait, and the caller waits on a timer (see {@link ThrottleQueue}) or until
 * {@link #onCapacity} reports that a connection slot may be free.
 */
public interface DestinationGate {

    /**
     * Asks for one more open connection to {@code key}. A slot grants it; the caller must then
     * {@link Slot#release()} it exactly once when that connection is gone (or failed to open).
     * Empty when the limit is reached (or the key is backing off); asking again later may succeed.
     */
    Optional<Slot> tryOpenConnection(ShapingKey key, DestinationPolicy policy);

    /**
     * Asks to send one message to {@code key} now. {@link Duration#ZERO} grants it (the token is
     * taken); otherwise nothing is taken and the value says when asking again may succeed.
     *
     * @param waiting messages of this key waiting on this pod, this one included: a hint for how
     *     many tokens to fetch at once
     */
    Duration tryReserveMessage(ShapingKey key, DestinationPolicy policy, int waiting);

    /**
     * Gives back one token that {@link #tryReserveMessage} granted but no message used (the
     * caller found no connection for it), so the rate is not spent on nothing.
     */
    void unreserveMessage(ShapingKey key, DestinationPolicy policy);

    /** Whether a connection that has carried {@code sent} messages may carry one more. */
    default boolean mayReuse(int sent, DestinationPolicy policy) {
        return sent < policy.maxMessagesPerConnection();
    }

    /** How much longer {@code key} backs off (no new connections, no messages); zero when it does not. */
    default Duration suspendedFor(ShapingKey key) {
        return Duration.ZERO;
    }

    /** A reply the remote server gave in a transaction: a 421 or a 4.7.x "rate" reply backs the key off. */
    default void replied(ShapingKey key, String destinationClass, DestinationPolicy policy, Reply reply) {
    }

    /**
     * Backs {@code key} off for the policy's {@code backoff}, as a 421 would: an operator's
     * {@code bounce-rules} entry with {@code action: backoff} matched a reply (docs/ARCHITECTURE.md,
     * "Bounce classification").
     */
    default void backOff(ShapingKey key, String destinationClass, DestinationPolicy policy, String reason) {
    }

    /** A connection to {@code key} could not be opened or brought to the ready state. */
    default void connectFailed(ShapingKey key, String destinationClass, DestinationPolicy policy, Reply reply) {
    }

    /**
     * Registers the callback run (on any thread) when a connection slot for a key may have become
     * available without a local release, e.g. a lease fetched from the shared backend.
     */
    default void onCapacity(Consumer<ShapingKey> listener) {
    }

    /** One granted connection slot. */
    interface Slot {

        /** Gives the slot back; idempotent. */
        void release();

        /**
         * True when the slot was lost (its shared lease could not be renewed): the connection must
         * close after its current message instead of going back to the pool.
         */
        default boolean revoked() {
            return false;
        }

        /**
         * Gives back a slot that never carried a connection (the caller found it could not use
         * it after all), so the gate may hand it out again rather than give it up. Idempotent.
         */
        default void unused() {
            release();
        }

        /**
         * True when another caller, on this pod or another, was recently refused a slot of the
         * same key: an idle connection holding this slot should close soon and let it go.
         */
        default boolean wanted() {
            return false;
        }

        /**
         * True when another pod holding less than its fair share of the key waits for a slot and
         * this pod holds more than its own: the connection should close after its current message
         * so the slot can go there. Once true for a slot, stays true.
         */
        default boolean surplus() {
            return false;
        }

        /** One slot made of two held together (a destination's and an egress address's). */
        static Slot both(Slot first, Slot second) {
            return new Slot() {
                @Override
                public void release() {
                    first.release();
                    second.release();
                }

                @Override
                public boolean revoked() {
                    return first.revoked() || second.revoked();
                }

                @Override
                public void unused() {
                    first.unused();
                    second.unused();
                }

                @Override
                public boolean wanted() {
                    return first.wanted() || second.wanted();
                }

                @Override
                public boolean surplus() {
                    return first.surplus() || second.surplus();
                }
            };
        }
    }
}
