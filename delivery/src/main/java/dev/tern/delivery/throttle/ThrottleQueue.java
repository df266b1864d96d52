package dev.tern.delivery.throttle;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.delivery.metrics.ShapingMetrics;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The bounded in-memory queue where messages wait for a rate token of their shaping key
 * (docs/ARCHITECTURE.md, "Traffic shaping", bounded waiting: past its bound, mail goes to the
 * shortest retry tier instead of holding memory).
 *
 * <p>Per key, a FIFO of waiters and at most one timer: the head asks the {@link DestinationGate}
 * and the timer is set to the wait it returns (or earlier, when the gate reports new capacity
 * through {@link DestinationGate#onCapacity}). {@link #reserve} completes {@code true} when the
 * message may be sent, {@code false} when it must be deferred: the key backs off, the queue of its
 * key already holds {@code maxWaiting} messages, or the wait would exceed {@code maxWait}. Deferred messages take the shortest retry tier without
 * using up an attempt (451 4.7.0, decided by the caller). Every outcome records its wait in
 * {@code tern_delivery_throttle_wait_seconds}.
 *
 * <p>A reloaded policy reaches mail already waiting: each time a key's queue is served, its limits
 * are looked up again ({@code latest}), so a raised rate does not wait for the queue to drain.
 *
 * <p>Threading: {@link #reserve} runs on the delivery context ({@code loop}), and so do the timers
 * and completions; capacity notices from other threads hop onto it.
 */
public final class ThrottleQueue {

    private record Waiter(CompletableFuture<Boolean> result, long start, long deadline) {
    }

    private static final class KeyQueue {
        final Deque<Waiter> waiters = new ArrayDeque<>();
        DestinationPolicy policy;
        long timer = -1;
    }

    private final Vertx vertx;
    private final DestinationGate gate;
    private final int maxWaiting;
    private final ShapingMetrics metrics;
    private final BiFunction<ShapingKey, DestinationPolicy, DestinationPolicy> latest;
    private final Map<ShapingKey, KeyQueue> queues = new HashMap<>();
    /** All keys' waiters, read by the scrape thread; the queues themselves are the loop's alone. */
    private final AtomicInteger waitingTotal = new AtomicInteger();

    /**
     * @param latest the limits that apply now to a key in place of those a message was routed with
     *     (the live policy's entry of the same name, or the egress address's)
     */
    public ThrottleQueue(Vertx vertx, Executor loop, DestinationGate gate, int maxWaiting, ShapingMetrics metrics,
            BiFunction<ShapingKey, DestinationPolicy, DestinationPolicy> latest) {
        this.vertx = vertx;
        this.gate = gate;
        this.maxWaiting = maxWaiting;
        this.metrics = metrics;
        this.latest = latest;
        metrics.throttledMessages(waitingTotal::get);
        gate.onCapacity(key -> loop.execute(() -> {
            KeyQueue q = queues.get(key);
            if (q != null) {
                drain(key, q);
            }
        }));
    }

    /** True when one message to {@code key} may go now or after a wait; false when it must be deferred. */
    public CompletableFuture<Boolean> reserve(ShapingKey key, DestinationPolicy policy, Duration maxWait) {
        long now = System.nanoTime();
        if (!gate.suspendedFor(key).isZero()) {
            metrics.waited(Duration.ZERO);
            return CompletableFuture.completedFuture(false);
        }
        KeyQueue q = queues.get(key);
        if (q == null || q.waiters.isEmpty()) {
            Duration wait = gate.tryReserveMessage(key, policy, 1);
            if (wait.isZero()) {
                metrics.waited(Duration.ZERO);
                return CompletableFuture.completedFuture(true);
            }
            if (wait.compareTo(maxWait) > 0) {
                metrics.waited(Duration.ZERO);
                return CompletableFuture.completedFuture(false);
            }
        }
        if (q == null) {
            q = new KeyQueue();
            queues.put(key, q);
        }
        if (q.waiters.size() >= maxWaiting) {
            metrics.waited(Duration.ZERO);
            return CompletableFuture.completedFuture(false);
        }
        q.policy = policy;
        var w = new Waiter(new CompletableFuture<>(), now, now + maxWait.toNanos());
        q.waiters.addLast(w);
        waitingTotal.incrementAndGet();
        if (q.timer < 0) {
            drain(key, q);
        }
        return w.result();
    }

    /** Messages waiting for {@code key} on this pod. */
    public int waiting(ShapingKey key) {
        KeyQueue q = queues.get(key);
        return q == null ? 0 : q.waiters.size();
    }

    private void drain(ShapingKey key, KeyQueue q) {
        if (q.timer >= 0) {
            vertx.cancelTimer(q.timer);
            q.timer = -1;
        }
        q.policy = latest.apply(key, q.policy);
        boolean paused = !gate.suspendedFor(key).isZero();
        while (!q.waiters.isEmpty()) {
            Waiter head = q.waiters.peekFirst();
            long now = System.nanoTime();
            if (paused) {
                // The destination asked us to slow down: the retry tier, not memory, holds its mail.
                finish(q.waiters.pollFirst(), false, now);
                continue;
            }
            Duration wait = gate.tryReserveMessage(key, q.policy, q.waiters.size());
            if (wait.isZero()) {
                finish(q.waiters.pollFirst(), true, now);
                continue;
            }
            if (now + wait.toNanos() - head.deadline() > 0) {
                // Waiting would outlast the bound: the retry tier holds it more cheaply than memory.
                finish(q.waiters.pollFirst(), false, now);
                continue;
            }
            q.timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> {
                q.timer = -1;
                drain(key, q);
            });
            return;
        }
        queues.remove(key, q);
    }

    private void finish(Waiter w, boolean granted, long now) {
        waitingTotal.decrementAndGet();
        metrics.waited(Duration.ofNanos(now - w.start()));
        w.result().complete(granted);
    }
}
