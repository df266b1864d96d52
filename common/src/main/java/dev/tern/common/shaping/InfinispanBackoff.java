package dev.tern.common.shaping;

import dev.tern.common.infinispan.ServerCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.infinispan.client.hotrod.Flag;
import org.infinispan.client.hotrod.MetadataValue;
import org.infinispan.client.hotrod.RemoteCacheManager;

/**
 * {@link Backoff} shared by every pod through one Infinispan cache: one entry per suspended key,
 * value {@code <until epoch ms> <reason>}, with a Hot Rod lifespan of the suspension plus the
 * retention time, so the server forgets it by itself once the ramp is over.
 *
 * <p>Suspending keeps the later end with a compare-and-set loop ({@code getWithMetadata}, then
 * {@code replaceWithVersion} or {@code putIfAbsent}), at most {@value #MAX_ATTEMPTS} attempts; if
 * every attempt loses, other pods are suspending the same key at the same moment and one of their
 * suspensions stands, which is the intent. Reads are one {@code get}: delivery checks a
 * destination before each connection, not each message.
 *
 * <p>Thread-safe and non-blocking; Hot Rod errors complete the stages exceptionally.
 */
public final class InfinispanBackoff implements Backoff {

    /** Default cache name; one per installation. */
    public static final String CACHE = "tern-shaping-backoff";

    static final int MAX_ATTEMPTS = 5;

    private final ServerCache cache;
    private final Duration retention;
    private final Clock clock;

    /** @param retention how long an ended suspension stays visible to {@link #lookup} (the ramp) */
    public InfinispanBackoff(RemoteCacheManager manager, String cacheName, Duration retention, Clock clock) {
        this.cache = new ServerCache(manager, cacheName);
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> suspend(String key, Duration duration, String reason) {
        Instant until = clock.instant().plus(duration);
        return attempt(key, new Suspension(until, reason), 1);
    }

    private CompletionStage<Void> attempt(String key, Suspension next, int attempt) {
        return cache.call(c -> c.getWithMetadataAsync(key)).thenCompose(read -> {
            if (read != null && !decode(read.getValue()).until().isBefore(next.until())) {
                return CompletableFuture.completedFuture(null);
            }
            return write(key, read, next).thenCompose(won -> won || attempt >= MAX_ATTEMPTS
                    ? CompletableFuture.completedFuture(null)
                    : attempt(key, next, attempt + 1));
        });
    }

    private CompletionStage<Boolean> write(String key, MetadataValue<String> read, Suspension next) {
        long lifespan = Math.max(1, Duration.between(clock.instant(), next.until()).plus(retention).toMillis());
        String value = encode(next);
        if (read == null) {
            return cache.call(c -> c.withFlags(Flag.FORCE_RETURN_VALUE)
                    .putIfAbsentAsync(key, value, lifespan, TimeUnit.MILLISECONDS))
                    .thenApply(previous -> previous == null);
        }
        return cache.call(c -> c.replaceWithVersionAsync(key, value, read.getVersion(),
                lifespan, TimeUnit.MILLISECONDS, 0, TimeUnit.MILLISECONDS));
    }

    @Override
    public CompletionStage<Optional<Instant>> suspendedUntil(String key) {
        return lookup(key).thenApply(s -> s.map(Suspension::until).filter(clock.instant()::isBefore));
    }

    @Override
    public CompletionStage<Optional<Suspension>> lookup(String key) {
        return cache.call(c -> c.getAsync(key)).thenApply(value -> Optional.ofNullable(value)
                .map(InfinispanBackoff::decode)
                // The server's expiry is the retention; checking here too guards against clock skew.
                .filter(s -> s.until().plus(retention).isAfter(clock.instant())));
    }

    static String encode(Suspension s) {
        return s.until().toEpochMilli() + " " + s.reason();
    }

    static Suspension decode(String value) {
        int space = value.indexOf(' ');
        String millis = space < 0 ? value : value.substring(0, space);
        String reason = space < 0 ? "" : value.substring(space + 1);
        return new Suspension(Instant.ofEpochMilli(Long.parseLong(millis)), reason);
    }

    /** Hot Rod requests sent by this instance so far. */
    public long remoteCalls() {
        return cache.requests();
    }
}
