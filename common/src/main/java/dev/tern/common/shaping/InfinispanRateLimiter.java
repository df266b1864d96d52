package dev.tern.common.shaping;

import dev.tern.common.infinispan.ServerCache;
import dev.tern.common.policy.Rate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.infinispan.client.hotrod.Flag;
import org.infinispan.client.hotrod.MetadataValue;
import org.infinispan.client.hotrod.RemoteCacheManager;

/**
 * {@link RateLimiter} shared by every pod through one Infinispan cache: one entry per key holding
 * the GCRA theoretical arrival time (epoch nanoseconds, as a decimal string).
 *
 * <p><b>Algorithm.</b> Read the entry with its version ({@code getWithMetadata}), compute the
 * grant locally ({@link Gcra}), and write the new TAT only if nobody else did meanwhile
 * ({@code replaceWithVersion}, or {@code putIfAbsent} when there was no entry). A lost race is
 * retried on fresh state, at most {@value #MAX_ATTEMPTS} times; after that the call grants
 * nothing and asks the caller to retry after a short interval, so a hot key degrades into waiting
 * rather than into unbounded Hot Rod traffic. A denied request only reads. Cost per call: one
 * read, plus one write when something is granted — two round trips for up to a whole burst of
 * tokens, so at high rates the round trips per message fall towards {@code 2 / burst}.
 *
 * <p><b>Why not Infinispan counters:</b> a strong counter gives atomic add but not "take up to n
 * if the TAT allows", which would need the same compare-and-set loop on the counter, and counters
 * do not expire. A plain entry with a lifespan disappears by itself shortly after its TAT has
 * passed, which is exactly when it stops carrying information.
 *
 * <p><b>Clocks.</b> The TAT is absolute wall-clock time of the pods. Pods are expected to run NTP;
 * a skew of {@code δ} between two pods lets the later-clocked one take about {@code δ × rate}
 * extra tokens once, not a lasting excess.
 *
 * <p><b>Threading and failure.</b> Thread-safe and non-blocking. Hot Rod errors and timeouts
 * complete the stage exceptionally; {@link FallbackRateLimiter} turns that into local limiting.
 */
public final class InfinispanRateLimiter implements RateLimiter {

    /** Default cache name; one per installation. */
    public static final String CACHE = "tern-shaping-rates";

    static final int MAX_ATTEMPTS = 8;
    /** Kept past the TAT so a key that is used steadily is not re-created on every call. */
    private static final long LIFESPAN_MARGIN_MILLIS = 1_000;
    /** Wait advised after losing every compare-and-set; short, since the key is evidently busy. */
    private static final long CONTENDED_WAIT_NANOS = 5_000_000;

    private final ServerCache cache;
    private final Duration burstWindow;
    private final Clock clock;
    private final LongAdder granted = new LongAdder();

    public InfinispanRateLimiter(RemoteCacheManager manager, String cacheName, Duration burstWindow, Clock clock) {
        this.cache = new ServerCache(manager, cacheName);
        this.burstWindow = burstWindow;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Grant> acquire(String key, Rate rate, int wanted) {
        if (wanted < 1) {
            throw new IllegalArgumentException("wanted must be at least 1, was " + wanted);
        }
        long interval = Gcra.interval(rate);
        int burst = Gcra.burst(rate, burstWindow);
        return attempt(key, interval, burst, wanted, 1).thenApply(g -> {
            granted.add(g.granted());
            return g;
        });
    }

    private CompletionStage<Grant> attempt(String key, long interval, int burst, int wanted, int attempt) {
        return cache.call(c -> c.getWithMetadataAsync(key)).thenCompose(read -> {
            long now = Gcra.epochNanos(clock.instant());
            long tat = read == null ? now : Long.parseLong(read.getValue());
            Gcra.Outcome o = Gcra.take(tat, now, interval, burst, wanted);
            if (o.granted() == 0) {
                return CompletableFuture.completedFuture(Grant.of(0, o.waitNanos()));
            }
            return write(key, read, o.newTat(), now).thenCompose(won -> {
                if (won) {
                    return CompletableFuture.completedFuture(Grant.of(o.granted(), o.waitNanos()));
                }
                if (attempt >= MAX_ATTEMPTS) {
                    return CompletableFuture.completedFuture(Grant.of(0, Math.min(interval, CONTENDED_WAIT_NANOS)));
                }
                return attempt(key, interval, burst, wanted, attempt + 1);
            });
        });
    }

    private CompletionStage<Boolean> write(String key, MetadataValue<String> read, long newTat, long now) {
        long lifespan = Math.max(0, newTat - now) / 1_000_000 + LIFESPAN_MARGIN_MILLIS;
        String value = Long.toString(newTat);
        if (read == null) {
            // FORCE_RETURN_VALUE: without it putIfAbsent returns null whether or not it stored.
            return cache.call(c -> c.withFlags(Flag.FORCE_RETURN_VALUE)
                    .putIfAbsentAsync(key, value, lifespan, TimeUnit.MILLISECONDS))
                    .thenApply(previous -> previous == null);
        }
        return cache.call(c -> c.replaceWithVersionAsync(key, value, read.getVersion(),
                lifespan, TimeUnit.MILLISECONDS, 0, TimeUnit.MILLISECONDS));
    }

    /** Hot Rod requests sent by this instance so far. */
    public long remoteCalls() {
        return cache.requests();
    }

    /** Tokens granted by this instance so far. */
    public long tokensGranted() {
        return granted.sum();
    }
}
