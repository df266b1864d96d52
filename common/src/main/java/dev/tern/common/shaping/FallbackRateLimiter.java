package dev.tern.common.shaping;

import dev.tern.common.policy.Rate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link RateLimiter} that uses the shared limiter and, while {@link Fallback} reports it
 * unreachable, a local one at the configured rate divided by the number of live pods, so the
 * cluster as a whole stays near the configured rate without coordination.
 *
 * <p>The rate is divided by stretching its period ({@code 50/s} over 3 pods is {@code 50/3s}),
 * which stays exact for low rates. Tokens taken locally are not reported to the shared limiter on
 * recovery: the shared TAT may be slightly behind, which allows at most one burst. Thread-safe.
 */
public final class FallbackRateLimiter implements RateLimiter {

    private final RateLimiter shared;
    private final RateLimiter local;
    private final Fallback fallback;

    /** When a shared call failed but the switch has not gone local yet: ask again this soon. */
    static final Duration UNSURE_RETRY = Duration.ofMillis(50);

    public FallbackRateLimiter(RateLimiter shared, RateLimiter local, Fallback fallback) {
        this.shared = shared;
        this.local = local;
        this.fallback = fallback;
    }

    @Override
    public CompletionStage<Grant> acquire(String key, Rate rate, int wanted) {
        return fallback.call("rate " + key, () -> shared.acquire(key, rate, wanted),
                () -> local.acquire(key, localShare(rate, fallback.livePods()), wanted),
                () -> CompletableFuture.completedFuture(new Grant(0, UNSURE_RETRY)));
    }

    static Rate localShare(Rate rate, int pods) {
        return new Rate(rate.count(), rate.period().multipliedBy(pods));
    }

    public boolean degraded() {
        return fallback.degraded();
    }
}
