package dev.tern.delivery.throttle;

import dev.tern.common.policy.Rate;
import dev.tern.common.shaping.RateLimiter;
import dev.tern.delivery.metrics.ShapingMetrics;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The rate tokens this pod holds per shaping key, so that messages spend them without a remote
 * call: the send path takes from the local stock synchronously, and an empty stock starts one
 * asynchronous {@link RateLimiter#acquire} per key (the limiter's "one acquiring caller per
 * destination per pod").
 *
 * <p>A request takes up to {@code waiting} tokens, or as many as this pod spent in the last burst
 * window if that is more (at most one burst), so a steady flow costs one request per window, not
 * one per message that finds no queue. An unused stock is dropped after the burst window so it
 * cannot add to a later burst. A partial grant's {@code retryAfter} holds further requests back.
 * Tokens that arrive are announced to {@code refilled}, so waiting messages go at once.
 *
 * <p>Thread-safe and non-blocking; backend completions run on the backend's threads.
 */
final class TokenStock {

    private static final Logger LOG = Logger.getLogger(TokenStock.class);
    /** Pause after a failed backend request before asking again. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Wait suggested while a token request is in flight; its completion notifies the waiters anyway. */
    static final Duration IN_FLIGHT_WAIT = Duration.ofMillis(50);
    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final RateLimiter rates;
    private final long burstWindowNanos;
    private final ShapingMetrics metrics;
    private final Consumer<ShapingKey> refilled;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<ShapingKey, Stock> stocks = new ConcurrentHashMap<>();

    private static final class Stock {
        final AtomicInteger tokens = new AtomicInteger();
        volatile long expires;
        /** Before this time no request is made (a partial grant's retryAfter, or a failure's pause). */
        volatile long askAt;
        final AtomicBoolean fetching = new AtomicBoolean();
        /** Tokens spent in the current burst window, and in the one before it: the demand estimate. */
        final AtomicInteger spentNow = new AtomicInteger();
        volatile int spentBefore;
        volatile long windowStart;

        Stock(long now) {
            expires = now;
            askAt = now;
            windowStart = now;
        }
    }

    /**
     * @param refilled told (on a backend thread) when tokens for a key arrived
     * @param nanoTime the monotonic clock, {@link System#nanoTime} but in tests
     */
    TokenStock(RateLimiter rates, Duration burstWindow, ShapingMetrics metrics, Consumer<ShapingKey> refilled,
            LongSupplier nanoTime) {
        this.rates = rates;
        this.burstWindowNanos = Math.max(1, burstWindow.toNanos());
        this.metrics = metrics;
        this.refilled = refilled;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes one token of {@code key} at {@code rate}: {@link Duration#ZERO} when taken, otherwise
     * how long to wait before asking again (nothing taken).
     *
     * @param waiting messages of this key waiting on this pod, this one included
     */
    Duration tryTake(ShapingKey key, Rate rate, int waiting) {
        Stock st = stocks.computeIfAbsent(key, k -> new Stock(nanoTime.getAsLong()));
        if (take(st)) {
            return Duration.ZERO;
        }
        long now = nanoTime.getAsLong();
        if (now - st.askAt >= 0 && st.fetching.compareAndSet(false, true)) {
            int wanted = Math.max(Math.max(1, waiting), st.spentBefore);
            rates.acquire(key.toString(), rate, wanted).whenComplete((grant, error) -> {
                long at = nanoTime.getAsLong();
                if (error != null) {
                    LOG.debugf("rate tokens for %s failed: %s", key, error);
                    st.askAt = at + RETRY_NANOS;
                } else {
                    metrics.tokens(grant.granted(), wanted - grant.granted());
                    if (grant.granted() > 0) {
                        st.expires = at + burstWindowNanos;
                        st.tokens.addAndGet(grant.granted());
                    }
                    st.askAt = grant.granted() == wanted ? at : at + grant.retryAfter().toNanos();
                }
                st.fetching.set(false);
                if (error == null && grant.granted() > 0) {
                    refilled.accept(key);
                }
            });
            // The local fallback answers synchronously.
            if (take(st)) {
                return Duration.ZERO;
            }
        }
        long wait = st.fetching.get() ? IN_FLIGHT_WAIT.toNanos() : st.askAt - nanoTime.getAsLong();
        return Duration.ofNanos(Math.max(MIN_WAIT_NANOS, wait));
    }

    /** Puts back one token that {@link #tryTake} gave but no message used; it still ends with its burst window. */
    void giveBack(ShapingKey key) {
        Stock st = stocks.get(key);
        if (st != null) {
            st.tokens.incrementAndGet();
        }
    }

    private boolean take(Stock st) {
        long now = nanoTime.getAsLong();
        if (now - st.windowStart - burstWindowNanos > 0) {
            st.spentBefore = now - st.windowStart - 2 * burstWindowNanos > 0 ? 0 : st.spentNow.get();
            st.spentNow.set(0);
            st.windowStart = now;
        }
        if (now - st.expires > 0) {
            st.tokens.set(0);
            return false;
        }
        while (true) {
            int n = st.tokens.get();
            if (n <= 0) {
                return false;
            }
            if (st.tokens.compareAndSet(n, n - 1)) {
                st.spentNow.incrementAndGet();
                return true;
            }
        }
    }
}
