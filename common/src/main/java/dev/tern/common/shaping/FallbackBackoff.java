package dev.tern.common.shaping;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link Backoff} that uses the shared backoff and, while {@link Fallback} reports it
 * unreachable, a local one. Suspensions are always recorded locally as well, so a destination
 * this pod saw answer 421 stays suspended here even if Infinispan fails right after. Thread-safe.
 */
public final class FallbackBackoff implements Backoff {

    private final Backoff shared;
    private final Backoff local;
    private final Fallback fallback;

    public FallbackBackoff(Backoff shared, Backoff local, Fallback fallback) {
        this.shared = shared;
        this.local = local;
        this.fallback = fallback;
    }

    @Override
    public CompletionStage<Void> suspend(String key, Duration duration, String reason) {
        return local.suspend(key, duration, reason)
                .thenCompose(done -> fallback.call("suspend " + key, () -> shared.suspend(key, duration, reason),
                        () -> CompletableFuture.completedFuture(null)));
    }

    @Override
    public CompletionStage<Optional<Instant>> suspendedUntil(String key) {
        return fallback.call("backoff " + key, () -> shared.suspendedUntil(key), () -> local.suspendedUntil(key));
    }

    @Override
    public CompletionStage<Optional<Suspension>> lookup(String key) {
        return fallback.call("backoff " + key, () -> shared.lookup(key), () -> local.lookup(key));
    }

    public boolean degraded() {
        return fallback.degraded();
    }
}
