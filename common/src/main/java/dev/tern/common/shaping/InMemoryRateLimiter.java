package dev.tern.common.shaping;

import dev.tern.common.policy.Rate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RateLimiter} within one JVM: exact GCRA per key in a concurrent map. Used by unit tests
 * and, with the limits divided by the number of pods, as the fallback while Infinispan is down.
 *
 * <p>Each key's TAT is updated atomically under the map's per-key lock. Keys whose TAT has
 * passed carry no information (an absent key behaves the same), so they are swept when the map
 * grows, which bounds memory to the keys active in the last burst window. Thread-safe; stages
 * are already complete when returned; never fails except on bad arguments.
 */
public final class InMemoryRateLimiter implements RateLimiter {

    /** Sweep stale keys once the map holds this many. */
    private static final int SWEEP_THRESHOLD = 10_000;

    private final ConcurrentHashMap<String, Long> tats = new ConcurrentHashMap<>();
    private final Duration burstWindow;
    private final Clock clock;

    public InMemoryRateLimiter(Duration burstWindow, Clock clock) {
        this.burstWindow = burstWindow;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Grant> acquire(String key, Rate rate, int wanted) {
        long interval = Gcra.interval(rate);
        int burst = Gcra.burst(rate, burstWindow);
        Gcra.Outcome[] result = new Gcra.Outcome[1];
        long now = Gcra.epochNanos(clock.instant());
        tats.compute(key, (k, tat) -> {
            result[0] = Gcra.take(tat == null ? now : tat, now, interval, burst, wanted);
            return result[0].newTat();
        });
        if (tats.size() > SWEEP_THRESHOLD) {
            tats.values().removeIf(tat -> tat < now);
        }
        return CompletableFuture.completedFuture(Grant.of(result[0].granted(), result[0].waitNanos()));
    }
}
