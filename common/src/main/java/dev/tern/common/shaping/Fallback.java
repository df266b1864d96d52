package dev.tern.common.shaping;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The switch between shared (Infinispan) and local shaping state that the {@code Fallback*}
 * decorators share, so that one outage is one state, one log line and one metric for rates,
 * leases and backoff together (docs/ARCHITECTURE.md, "Traffic shaping": while Infinispan is down, each
 * pod enforces limit / live pods locally and keeps delivering).
 *
 * <p><b>States.</b> Healthy: every call goes to the shared backend with a {@code callTimeout}.
 * {@code failuresToDegrade} failures or timeouts in a row mark the switch degraded (logged once,
 * {@link #outages()} incremented) and that call is answered locally. A failure before that is
 * answered by the call's {@code whileUnsure} answer: a refusal (no lease, no tokens: ask again
 * soon) where the local answer could break the shared limit. A pod whose first calls are slow
 * (a cold JIT, a busy machine) then waits a moment instead of granting itself local limits on
 * top of the shared ones that the other pods hold. Degraded: calls are answered locally, except that at most one
 * call per {@code probeInterval} is tried on the shared backend as a probe; when a probe
 * succeeds, its answer is used and the switch is healthy again (logged once). Any failure of the
 * shared stage counts as an outage: the shaping backends fail only on transport problems.
 *
 * <p>A timed-out shared call may still complete on the server later (tokens taken but unused);
 * that costs the cluster at most one batch per timeout, which is preferable to stalling delivery.
 *
 * <p><b>Threading.</b> Thread-safe; state is in atomics and never blocks.
 */
public final class Fallback {

    private static final Logger LOG = Logger.getLogger(Fallback.class);

    private final IntSupplier livePods;
    private final Duration callTimeout;
    private final long probeIntervalMillis;
    private final Clock clock;
    private final AtomicBoolean degraded = new AtomicBoolean();
    private final AtomicLong nextProbeAt = new AtomicLong();
    private final AtomicLong degradedSince = new AtomicLong();
    private final AtomicLong outages = new AtomicLong();
    private final int failuresToDegrade;
    private final java.util.concurrent.atomic.AtomicInteger failuresInARow = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param livePods the number of live delivery pods, this one included (values below 1 count as 1)
     * @param callTimeout how long a shared call may take before the local answer is used
     * @param probeInterval how often the shared backend is tried while degraded
     */
    public Fallback(IntSupplier livePods, Duration callTimeout, Duration probeInterval, Clock clock) {
        this(livePods, callTimeout, probeInterval, 1, clock);
    }

    /** @param failuresToDegrade failed shared calls in a row that switch to local limits, at least 1 */
    public Fallback(IntSupplier livePods, Duration callTimeout, Duration probeInterval, int failuresToDegrade,
            Clock clock) {
        if (failuresToDegrade < 1) {
            throw new IllegalArgumentException("failuresToDegrade must be at least 1, was " + failuresToDegrade);
        }
        this.failuresToDegrade = failuresToDegrade;
        this.livePods = livePods;
        this.callTimeout = callTimeout;
        this.probeIntervalMillis = probeInterval.toMillis();
        this.clock = clock;
    }

    /** True while the shared backend is considered unreachable and local limits apply. */
    public boolean degraded() {
        return degraded.get();
    }

    /** Outages seen so far (healthy → degraded transitions), for a counter metric. */
    public long outages() {
        return outages.get();
    }

    /** The divisor for local limits, at least 1. */
    public int livePods() {
        return Math.max(1, livePods.getAsInt());
    }

    /** Answers from {@code shared} when healthy or probing, from {@code local} otherwise or on failure. */
    <T> CompletionStage<T> call(String what, Supplier<CompletionStage<T>> shared, Supplier<CompletionStage<T>> local) {
        return call(what, shared, local, local);
    }

    /**
     * As {@link #call(String, Supplier, Supplier)}, but a failure that does not (yet) switch to
     * local limits is answered by {@code whileUnsure}.
     */
    <T> CompletionStage<T> call(String what, Supplier<CompletionStage<T>> shared, Supplier<CompletionStage<T>> local,
            Supplier<CompletionStage<T>> whileUnsure) {
        if (degraded.get() && !probeDue()) {
            return local.get();
        }
        CompletableFuture<T> attempt;
        try {
            attempt = shared.get().toCompletableFuture().copy().orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        return attempt.handle((value, failure) -> {
            if (failure == null) {
                failuresInARow.set(0);
                recovered();
                return CompletableFuture.completedFuture(value);
            }
            if (degraded.get() || failuresInARow.incrementAndGet() >= failuresToDegrade) {
                failed(what, failure);
                return local.get();
            }
            return whileUnsure.get();
        }).thenCompose(stage -> stage);
    }

    private boolean probeDue() {
        long now = clock.millis();
        long due = nextProbeAt.get();
        return now >= due && nextProbeAt.compareAndSet(due, now + probeIntervalMillis);
    }

    private void failed(String what, Throwable failure) {
        if (degraded.compareAndSet(false, true)) {
            outages.incrementAndGet();
            degradedSince.set(clock.millis());
            nextProbeAt.set(clock.millis() + probeIntervalMillis);
            LOG.warnf("Infinispan unreachable (%s failed: %s); shaping falls back to local limits of global / %d pods"
                    + " until a probe every %d ms succeeds", what, failure, livePods(), probeIntervalMillis);
        }
    }

    private void recovered() {
        if (degraded.compareAndSet(true, false)) {
            LOG.infof("Infinispan reachable again after %d ms; shaping uses shared limits",
                    clock.millis() - degradedSince.get());
        }
    }
}
