package dev.tern.common.shaping;

import dev.tern.common.policy.Rate;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A cluster-wide message rate limit per key (a destination domain such as {@code gmail.com}, or
 * an MX rollup name), enforced with GCRA.
 *
 * <p><b>Contract.</b> Over any window {@code W}, the tokens granted for one key by every client
 * of the same backend together are at most {@code rate × W + burst}, where {@code burst} is the
 * implementation's burst capacity for that rate (its burst window divided by the emission
 * interval, at least 1). A caller asks for a batch: {@link #acquire} grants between 0 and
 * {@code min(wanted, burst)} tokens at once, so at high rates a pod takes many tokens per remote
 * call instead of one call per message. Granted tokens may be used at once; they are never
 * returned. When fewer than {@code wanted} are granted, {@link Grant#retryAfter()} says when the
 * rest of the batch (at most one burst) will be available — not merely the next token, so that a
 * saturated caller makes one call per batch rather than per message. It is a hint: another pod
 * may take those tokens first, and a caller may ask earlier for a smaller batch.
 *
 * <p>The same key should be used with the same rate by every caller; a changed rate (live policy
 * reload) applies from the next call on.
 *
 * <p><b>Threading.</b> Implementations are thread-safe and never block the caller; stages
 * complete on the backend's threads, so callers must not block inside their continuations.
 *
 * <p><b>Failure.</b> A backend that cannot be reached completes the stage exceptionally; wrap the
 * shared implementation in {@link FallbackRateLimiter} to keep delivering on local limits.
 */
public interface RateLimiter {

    /**
     * Takes up to {@code wanted} tokens for {@code key} at {@code rate}.
     *
     * @param wanted how many messages the caller could send now, at least 1
     */
    CompletionStage<Grant> acquire(String key, Rate rate, int wanted);

    /**
     * The outcome of one {@link #acquire}: {@code granted} tokens now and, when that is fewer
     * than wanted, the time until the rest of the batch is available ({@link Duration#ZERO}
     * otherwise).
     */
    record Grant(int granted, Duration retryAfter) {

        public Grant {
            if (granted < 0 || retryAfter.isNegative()) {
                throw new IllegalArgumentException("granted and retryAfter must not be negative");
            }
        }

        static Grant of(int granted, long retryAfterNanos) {
            return new Grant(granted, Duration.ofNanos(Math.max(0, retryAfterNanos)));
        }
    }
}
