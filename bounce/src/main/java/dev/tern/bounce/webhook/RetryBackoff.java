package dev.tern.bounce.webhook;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The pause before a webhook batch is POSTed again: exponential from {@code initial}, doubled per
 * failure in a row, capped at {@code max}, then jittered to a random point in its upper half
 * (between 50% and 100%). The jitter keeps the pods of a fleet that all failed at once against one
 * endpoint from hammering it again in step; the cap bounds the delay once the endpoint is back.
 * Immutable; thread-safe when the random source is.
 */
public final class RetryBackoff {

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;

    /** @param random uniform in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble} */
    public RetryBackoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The pause after {@code failures} (at least 1) failed POSTs of the same batch in a row. */
    public Duration after(int failures) {
        long capMs = max.toMillis();
        long ms = initial.toMillis();
        for (int i = 1; i < failures && ms < capMs; i++) {
            ms *= 2;
        }
        ms = Math.min(ms, capMs);
        return Duration.ofMillis(Math.round(ms * (0.5 + 0.5 * random.getAsDouble())));
    }
}
