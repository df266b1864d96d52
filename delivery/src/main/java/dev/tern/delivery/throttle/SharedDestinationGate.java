package dev.tern.delivery.throttle;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.Rate;
import dev.tern.common.shaping.ConnectionLeases;
import dev.tern.common.shaping.RateLimiter;
import dev.tern.delivery.metrics.ShapingMetrics;
import dev.tern.smtp.reply.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The {@link DestinationGate}: rates from a {@link RateLimiter}, connection caps as
 * {@link ConnectionLeases}, pauses from an {@link AdaptiveBackoff}. Its limits hold for everyone
 * sharing its backends (issue 6): with the {@code Fallback*} Infinispan implementations, every
 * delivery pod (local limits of {@code global / live pods} while Infinispan is unreachable); with
 * the in-memory ones ({@code tern.delivery.shaping.enabled=false}), this pod alone.
 *
 * <p><b>Round trips.</b> The gate answers the send path synchronously from per-key local state
 * and refills it asynchronously, with at most one rate request and one lease request in flight
 * per key on this pod: rate tokens come from the key's {@link TokenStock}, connection slots are
 * leases kept by the {@link LeaseKeeper}, which also gives slots up to pods starved of a key
 * ({@link FairShare}). Both tell {@link #onCapacity} listeners when something arrived, so the pool
 * and the throttle queue retry their waiters.
 *
 * <p><b>Threading.</b> Thread-safe and non-blocking; backend completions run on their threads,
 * lease renewals on {@code timer}. {@link #close()} stops renewing and releases every lease.
 */
public final class SharedDestinationGate implements DestinationGate, AutoCloseable {

    private final AdaptiveBackoff backoff;
    private final TokenStock tokens;
    private final LeaseKeeper leases;
    private final List<Consumer<ShapingKey>> listeners = new CopyOnWriteArrayList<>();

    /** @param livePods the delivery pods sharing the limits, this one included: the divisor of fair shares */
    public SharedDestinationGate(RateLimiter rates, ConnectionLeases leases, AdaptiveBackoff backoff,
            Duration leaseTtl, Duration burstWindow, ScheduledExecutorService timer, ShapingMetrics metrics,
            IntSupplier livePods) {
        this(rates, leases, backoff, leaseTtl, burstWindow, timer, metrics, livePods, System::nanoTime);
    }

    /** @param nanoTime the monotonic clock, {@link System#nanoTime} but in tests */
    SharedDestinationGate(RateLimiter rates, ConnectionLeases leases, AdaptiveBackoff backoff, Duration leaseTtl,
            Duration burstWindow, ScheduledExecutorService timer, ShapingMetrics metrics, IntSupplier livePods,
            LongSupplier nanoTime) {
        this.backoff = backoff;
        this.tokens = new TokenStock(rates, burstWindow, metrics, this::capacity, nanoTime);
        this.leases = new LeaseKeeper(leases, leaseTtl, timer, livePods, this::capacity, nanoTime);
        metrics.leasesHeld(this::leasesHeld);
    }

    private void capacity(ShapingKey key) {
        listeners.forEach(l -> l.accept(key));
    }

    @Override
    public Optional<Slot> tryOpenConnection(ShapingKey key, DestinationPolicy policy) {
        if (!backoff.suspendedFor(key).isZero()) {
            return Optional.empty();
        }
        return leases.tryOpen(key, policy.maxConnections());
    }

    @Override
    public Duration tryReserveMessage(ShapingKey key, DestinationPolicy policy, int waiting) {
        if (policy.rate() == null) {
            return backoff.suspendedFor(key);
        }
        Optional<Rate> rate = backoff.effectiveRate(key, policy.rate());
        if (rate.isEmpty()) {
            return backoff.suspendedFor(key);
        }
        return tokens.tryTake(key, rate.get(), waiting);
    }

    @Override
    public void unreserveMessage(ShapingKey key, DestinationPolicy policy) {
        if (policy.rate() != null) {
            tokens.giveBack(key);
        }
    }

    @Override
    public Duration suspendedFor(ShapingKey key) {
        return backoff.suspendedFor(key);
    }

    @Override
    public void replied(ShapingKey key, String destinationClass, DestinationPolicy policy, Reply reply) {
        backoff.remember(key, destinationClass);
        backoff.replied(key, destinationClass, policy, reply);
    }

    @Override
    public void backOff(ShapingKey key, String destinationClass, DestinationPolicy policy, String reason) {
        backoff.suspend(key, destinationClass, policy.backoff(), reason);
    }

    @Override
    public void connectFailed(ShapingKey key, String destinationClass, DestinationPolicy policy, Reply reply) {
        backoff.remember(key, destinationClass);
        backoff.connectFailed(key, destinationClass, policy, reply);
    }

    @Override
    public void onCapacity(Consumer<ShapingKey> listener) {
        listeners.add(listener);
    }

    /** Leases held by this pod, in use or parked: the {@code tern_delivery_leases_held} gauge. */
    public int leasesHeld() {
        return leases.held();
    }

    @Override
    public void close() {
        leases.close();
    }
}
