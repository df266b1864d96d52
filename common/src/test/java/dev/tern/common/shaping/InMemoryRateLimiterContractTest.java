package dev.tern.common.shaping;

import java.time.Clock;

/** {@link RateLimiterContract} on {@link InMemoryRateLimiter}; every "client" is the one instance. */
class InMemoryRateLimiterContractTest extends RateLimiterContract {

    private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(BURST_WINDOW, Clock.systemUTC());

    @Override
    protected RateLimiter newClient() {
        return limiter;
    }
}
