package dev.tern.common.infinispan;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.infinispan.client.hotrod.RemoteCache;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.commons.configuration.StringConfiguration;
import org.jboss.logging.Logger;

/**
 * One of Tern's caches on the Infinispan server (journal, suppression list, shaping state),
 * obtained on first use, created when missing, and created again when the server has lost it,
 * plus the count of Hot Rod requests sent through it.
 *
 * <p>Why again: the caches are created at run time, and an Infinispan server that is killed and
 * comes back without its global state (a pod restarted without a persistent volume, a crash
 * before the state was written) answers {@code CacheNotFoundException} to every request. Without
 * re-creation the journal and the suppression list would stay broken until every delivery pod
 * restarted. The failed request still fails; the next one finds the cache again.
 *
 * <p>The cache is created off the caller's thread (creation blocks): a service that starts
 * while Infinispan is down must still start, and a creation that failed is tried again on the
 * next call. The definition is a synchronous distributed cache with two owners of ProtoStream-encoded strings,
 * with authorization when the client authenticates ({@link #open}); a server that already has the
 * cache keeps its own definition. Thread-safe.
 */
public final class ServerCache {

    private static final Logger LOG = Logger.getLogger(ServerCache.class);
    /** Two owners (the default, stated because HA depends on it): one server of a pair may die without loss. */
    private static final String CACHE_XML = "<distributed-cache name=\"%s\" mode=\"SYNC\" owners=\"2\">"
            + "<encoding media-type=\"application/x-protostream\"/>%s</distributed-cache>";
    private static final String AUTHORIZATION = "<security><authorization/></security>";

    private final RemoteCacheManager manager;
    private final String name;
    private final LongAdder requests = new LongAdder();
    private volatile CompletableFuture<RemoteCache<String, String>> cache;

    public ServerCache(RemoteCacheManager manager, String name) {
        this.manager = manager;
        this.name = name;
    }

    /**
     * Runs one Hot Rod operation on the cache and counts it. A failure saying the server does not
     * have the cache makes the next call create it again.
     */
    public <T> CompletionStage<T> call(Function<RemoteCache<String, String>, CompletionStage<T>> operation) {
        requests.increment();
        CompletableFuture<RemoteCache<String, String>> c = current();
        return c.thenCompose(operation).whenComplete((v, error) -> {
            if (error != null && isMissingCache(error)) {
                synchronized (this) {
                    if (cache == c) {
                        LOG.warnf("Infinispan has lost cache %s (a restart without its state?); creating it again",
                                name);
                        cache = null;
                    }
                }
            }
        });
    }

    private CompletableFuture<RemoteCache<String, String>> current() {
        CompletableFuture<RemoteCache<String, String>> c = cache;
        if (c == null || c.isCompletedExceptionally()) {
            synchronized (this) {
                c = cache;
                if (c == null || c.isCompletedExceptionally()) {
                    c = CompletableFuture.supplyAsync(() -> open(manager, name));
                    cache = c;
                }
            }
        }
        return c;
    }

    /**
     * Cache {@code name} on the server, created when missing (blocks). When the client
     * authenticates, the cache is created with authorization, so only the server's roles with
     * the matching permissions may use it (docs/ARCHITECTURE.md, "Infinispan security"); a user
     * without the {@code CREATE} permission (role {@code application}) gets a cache an operator
     * created beforehand.
     */
    public static RemoteCache<String, String> open(RemoteCacheManager manager, String name) {
        boolean secured = manager.getConfiguration().security().authentication().enabled();
        try {
            return create(manager, name, secured);
        } catch (RuntimeException e) {
            if (secured && mentions(e, "Global security authorization should be enabled")) {
                LOG.warnf("Infinispan does not enforce authorization: cache %s is created without it, so every "
                        + "authenticated user may use it", name);
                // The refused definition stays registered on the server and would refuse the next one.
                // Another pod's cache created meanwhile may go with it: empty, and re-created on use.
                manager.administration().removeCache(name);
                return create(manager, name, false);
            }
            RemoteCache<String, String> existing = mentions(e, "lacks 'CREATE' permission") ? manager.getCache(name) : null;
            if (existing == null) {
                throw e;
            }
            return existing;
        }
    }

    private static RemoteCache<String, String> create(RemoteCacheManager manager, String name, boolean authorization) {
        return manager.administration().getOrCreateCache(name,
                new StringConfiguration(CACHE_XML.formatted(name, authorization ? AUTHORIZATION : "")));
    }

    static boolean isMissingCache(Throwable error) {
        return mentions(error, "CacheNotFoundException") || mentions(error, "not found amongst the configured caches");
    }

    private static boolean mentions(Throwable error, String text) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains(text)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Hot Rod requests sent so far (cache creation not included). */
    public long requests() {
        return requests.sum();
    }

    public String name() {
        return name;
    }
}
