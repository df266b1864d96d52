package dev.tern.common.shaping;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Backoff} within one JVM, for unit tests and as the local fallback: a concurrent map of
 * key to its latest {@link Backoff.Suspension}, swept of entries past their retention when it
 * grows. Thread-safe; stages are complete when returned; never fails.
 */
public final class InMemoryBackoff implements Backoff {

    private static final int SWEEP_THRESHOLD = 10_000;

    private final ConcurrentHashMap<String, Suspension> suspensions = new ConcurrentHashMap<>();
    private final Duration retention;
    private final Clock clock;

    /** @param retention how long an ended suspension stays visible to {@link #lookup} (the ramp) */
    public InMemoryBackoff(Duration retention, Clock clock) {
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> suspend(String key, Duration duration, String reason) {
        Instant now = clock.instant();
        Suspension next = new Suspension(now.plus(duration), reason);
        suspensions.merge(key, next, (old, neu) -> old.until().isAfter(neu.until()) ? old : neu);
        if (suspensions.size() > SWEEP_THRESHOLD) {
            suspensions.values().removeIf(s -> s.until().plus(retention).isBefore(now));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Optional<Instant>> suspendedUntil(String key) {
        Instant now = clock.instant();
        return CompletableFuture.completedFuture(Optional.ofNullable(suspensions.get(key))
                .map(Suspension::until).filter(now::isBefore));
    }

    @Override
    public CompletionStage<Optional<Suspension>> lookup(String key) {
        Instant now = clock.instant();
        return CompletableFuture.completedFuture(Optional.ofNullable(suspensions.get(key))
                .filter(s -> s.until().plus(retention).isAfter(now)));
    }
}
