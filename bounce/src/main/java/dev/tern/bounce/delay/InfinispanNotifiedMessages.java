package dev.tern.bounce.delay;

import dev.tern.common.infinispan.ServerCache;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.infinispan.client.hotrod.RemoteCache;
import org.infinispan.client.hotrod.RemoteCacheManager;

/**
 * {@link NotifiedMessages} in an Infinispan cache shared by every bounce pod: key = queue id,
 * value {@code "1"}, Hot Rod lifespan = the given lifespan, so the server forgets ids by itself.
 *
 * <p>The cache ({@link ServerCache#open}) is created on first use and again
 * after a failed creation, so the service starts while Infinispan is down; creation blocks, and
 * the first use is on the consumer thread. Thread-safe; lookups and writes are asynchronous.
 */
public final class InfinispanNotifiedMessages implements NotifiedMessages {

    private final Supplier<RemoteCacheManager> manager;
    private final String cacheName;
    private volatile RemoteCache<String, String> cache;

    public InfinispanNotifiedMessages(Supplier<RemoteCacheManager> manager, String cacheName) {
        this.manager = manager;
        this.cacheName = cacheName;
    }

    @Override
    public CompletionStage<Boolean> contains(String messageId) {
        try {
            return cache().containsKeyAsync(messageId);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Void> remember(String messageId, Duration lifespan) {
        try {
            return cache().putAsync(messageId, "1", lifespan.toMillis(), TimeUnit.MILLISECONDS).thenApply(v -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private RemoteCache<String, String> cache() {
        RemoteCache<String, String> c = cache;
        if (c == null) {
            synchronized (this) {
                if (cache == null) {
                    cache = ServerCache.open(manager.get(), cacheName);
                }
                c = cache;
            }
        }
        return c;
    }
}
