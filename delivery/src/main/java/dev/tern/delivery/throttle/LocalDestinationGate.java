package dev.tern.delivery.throttle;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.Rate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@link DestinationGate} that enforces each destination's limits within this pod only: a
 * connection counter per key and a GCRA rate limiter (the "theoretical arrival time" of the next
 * message advances by the rate's emission interval per message; a message may go when that time
 * is not in the future). No burst beyond one message: senders that want bursts set a higher rate.
 * N pods may together send N times the configured rate; this gate is used when shared shaping is
 * switched off ({@code tern.delivery.shaping.enabled=false}). Thread-safe and lock-free; state
 * grows with the number of keys seen.
 */
public final class LocalDestinationGate implements DestinationGate {

    private final ConcurrentHashMap<ShapingKey, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ShapingKey, AtomicLong> arrival = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    public LocalDestinationGate(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    public LocalDestinationGate() {
        this(System::nanoTime);
    }

    @Override
    public Optional<Slot> tryOpenConnection(ShapingKey key, DestinationPolicy policy) {
        AtomicInteger open = connections.computeIfAbsent(key, d -> new AtomicInteger());
        while (true) {
            int n = open.get();
            if (n >= policy.maxConnections()) {
                return Optional.empty();
            }
            if (open.compareAndSet(n, n + 1)) {
                AtomicBoolean released = new AtomicBoolean();
                return Optional.of(() -> {
                    if (released.compareAndSet(false, true)) {
                        open.updateAndGet(c -> Math.max(0, c - 1));
                    }
                });
            }
        }
    }

    @Override
    public Duration tryReserveMessage(ShapingKey key, DestinationPolicy policy, int waiting) {
        Rate rate = policy.rate();
        if (rate == null) {
            return Duration.ZERO;
        }
        long interval = rate.emissionInterval().toNanos();
        AtomicLong tat = arrival.computeIfAbsent(key, d -> new AtomicLong(Long.MIN_VALUE));
        while (true) {
            long now = nanoTime.getAsLong();
            long current = tat.get();
            long start = current == Long.MIN_VALUE || current - now < 0 ? now : current;
            if (start - now > 0) {
                return Duration.ofNanos(start - now);
            }
            if (tat.compareAndSet(current, start + interval)) {
                return Duration.ZERO;
            }
        }
    }

    @Override
    public void unreserveMessage(ShapingKey key, DestinationPolicy policy) {
        AtomicLong tat = arrival.get(key);
        if (policy.rate() != null && tat != null) {
            long interval = policy.rate().emissionInterval().toNanos();
            tat.updateAndGet(t -> t == Long.MIN_VALUE ? t : t - interval);
        }
    }

    /** Connections currently granted to {@code key}: for the admin view and tests. */
    public int openConnections(ShapingKey key) {
        AtomicInteger open = connections.get(key);
        return open == null ? 0 : open.get();
    }
}
