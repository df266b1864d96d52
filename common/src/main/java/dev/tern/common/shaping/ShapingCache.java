package dev.tern.common.shaping;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import org.infinispan.client.hotrod.RemoteCache;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.commons.configuration.StringConfiguration;

/**
 * One shaping cache on the Infinispan server, obtained on first use, plus the count of Hot Rod
 * requests the shaping classes sent through it (the issue asks for round trips per message).
 *
 * <p>The cache is created lazily and off the caller's thread: a pod that starts while Infinispan
 * is down must still construct its limiters and deliver on the fallback, and a creation that
 * failed is tried again on the next call. The definition matches the suppression list's (a
 * synchronous distributed cache of ProtoStream-encoded strings); a server that already has the
 * cache keeps its own definition. Thread-safe.
 */
final class ShapingCache {

    private static final String CACHE_XML = "<distributed-cache name=\"%s\" mode=\"SYNC\">"
            + "<encoding media-type=\"application/x-protostream\"/></distributed-cache>";

    private final RemoteCacheManager manager;
    private final String name;
    private final LongAdder requests = new LongAdder();
    private volatile CompletableFuture<RemoteCache<String, String>> cache;

    ShapingCache(RemoteCacheManager manager, String name) {
        this.manager = manager;
        this.name = name;
    }

    /** The cache; counts one request, so call it once per Hot Rod operation. */
    CompletionStage<RemoteCache<String, String>> op() {
        requests.increment();
        CompletableFuture<RemoteCache<String, String>> c = cache;
        if (c == null || c.isCompletedExceptionally()) {
            synchronized (this) {
                c = cache;
                if (c == null || c.isCompletedExceptionally()) {
                    c = CompletableFuture.supplyAsync(() -> manager.administration()
                            .getOrCreateCache(name, new StringConfiguration(CACHE_XML.formatted(name))));
                    cache = c;
                }
            }
        }
        return c;
    }

    /** Hot Rod requests sent so far (cache creation not included). */
    long requests() {
        return requests.sum();
    }
}
