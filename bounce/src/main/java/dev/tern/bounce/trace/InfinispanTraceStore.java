package dev.tern.bounce.trace;

import dev.tern.common.infinispan.ServerCache;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.infinispan.client.hotrod.Flag;
import org.infinispan.client.hotrod.RemoteCacheManager;

/**
 * {@link TraceStore} in an Infinispan cache shared by every bounce pod, created on first use
 * ({@link ServerCache}), so the service starts while Infinispan is down. Each entry's Hot Rod
 * lifespan is the retention, renewed on every update, so the server forgets old traces by itself.
 *
 * <p>Updates are optimistic: read the value with its version, write the changed value only if
 * the version is still the same ({@code replaceWithVersion}, or {@code putIfAbsent} for a new
 * key), else read again; after {@value #ATTEMPTS} lost races the update fails and the consumer
 * retries the record. Thread-safe; asynchronous.
 */
public final class InfinispanTraceStore implements TraceStore {

    /** Default cache name; one per installation. */
    public static final String CACHE = "tern-trace";

    private static final int ATTEMPTS = 10;

    private final ServerCache cache;

    public InfinispanTraceStore(RemoteCacheManager manager, String cacheName) {
        this.cache = new ServerCache(manager, cacheName);
    }

    @Override
    public CompletionStage<Void> update(String key, UnaryOperator<String> change, Duration lifespan) {
        return attempt(key, change, lifespan.toMillis(), ATTEMPTS);
    }

    private CompletionStage<Void> attempt(String key, UnaryOperator<String> change, long lifespanMs, int left) {
        if (left == 0) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "trace entry " + key + " changed under " + ATTEMPTS + " updates in a row"));
        }
        return cache.call(c -> c.getWithMetadataAsync(key)).thenCompose(current -> {
            CompletionStage<Boolean> written;
            if (current == null) {
                String value = change.apply(null);
                written = cache.call(c -> c.withFlags(Flag.FORCE_RETURN_VALUE)
                        .putIfAbsentAsync(key, value, lifespanMs, TimeUnit.MILLISECONDS)).thenApply(p -> p == null);
            } else {
                String value = change.apply(current.getValue());
                written = cache.call(c -> c.replaceWithVersionAsync(key, value, current.getVersion(), lifespanMs,
                        TimeUnit.MILLISECONDS, 0, TimeUnit.MILLISECONDS));
            }
            return written.thenCompose(ok -> ok ? CompletableFuture.<Void>completedFuture(null)
                    : attempt(key, change, lifespanMs, left - 1));
        });
    }

    @Override
    public CompletionStage<Map<String, String>> getAll(Collection<String> keys) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        Set<String> distinct = Set.copyOf(keys);
        return cache.call(c -> c.getAllAsync(distinct));
    }
}
