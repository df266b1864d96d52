package dev.tern.common.journal;

import dev.tern.common.infinispan.ServerCache;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.infinispan.client.hotrod.RemoteCacheManager;

/**
 * {@link DeliveryJournal} in an Infinispan cache over Hot Rod, shared by every delivery pod.
 *
 * <p>One entry per (message id, recipient) — key {@code id NUL recipient}, value {@code "1"} —
 * rather than one set per message, so two pods writing recipients of the same message (possible
 * only around a rebalance) never need compare-and-set and can never lose each other's writes.
 * Every entry carries a lifespan equal to the retention, so the cache cleans itself. The cache is
 * created on first use, and again if the server lost it ({@link ServerCache}). Thread-safe; all
 * calls are the Hot Rod client's asynchronous operations and never block the caller.
 */
public final class InfinispanDeliveryJournal implements DeliveryJournal {

    /** Default cache name; one per installation. */
    public static final String CACHE = "tern-journal";

    private final ServerCache cache;
    private final long lifespanMillis;

    public InfinispanDeliveryJournal(RemoteCacheManager manager, String cacheName, Duration retention) {
        this.cache = new ServerCache(manager, cacheName);
        this.lifespanMillis = retention.toMillis();
    }

    static String key(String messageId, String recipient) {
        return messageId + '\0' + recipient;
    }

    @Override
    public CompletionStage<Void> recordDelivered(String messageId, Collection<String> recipients) {
        var entries = new HashMap<String, String>();
        for (String r : recipients) {
            entries.put(key(messageId, r), "1");
        }
        return cache.call(c -> c.putAllAsync(entries, lifespanMillis, TimeUnit.MILLISECONDS));
    }

    @Override
    public CompletionStage<Set<String>> delivered(String messageId, Collection<String> recipients) {
        var byKey = new LinkedHashMap<String, String>();
        for (String r : recipients) {
            byKey.put(key(messageId, r), r);
        }
        return cache.call(c -> c.getAllAsync(byKey.keySet()))
                .thenApply(found -> found.keySet().stream().map(byKey::get).collect(Collectors.toSet()));
    }
}
