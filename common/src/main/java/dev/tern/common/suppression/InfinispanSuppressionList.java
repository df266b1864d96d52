package dev.tern.common.suppression;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.common.infinispan.ServerCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.infinispan.client.hotrod.Flag;
import org.infinispan.client.hotrod.RemoteCacheManager;

/**
 * {@link SuppressionList} in an Infinispan cache over Hot Rod, shared by every pod of the
 * installation: the bounce service writes it, delivery and the admin endpoint read it.
 *
 * <p>One entry per normalized address; the value is a small JSON object ({@code reason},
 * {@code added}, {@code until} in epoch milliseconds) held as a string, so the cache needs no
 * schema and stays readable from the Infinispan console. Each entry's Hot Rod lifespan is
 * {@code until - now}, so the server expires it by itself; reads also check {@code until}, so an
 * entry is never reported live past its end even if the clocks of pod and server differ slightly.
 *
 * <p>The cache is created on first use, and again if the server lost it ({@link ServerCache}).
 * Thread-safe; all calls use the client's asynchronous operations and never block the caller.
 */
public final class InfinispanSuppressionList implements SuppressionList {

    /** Default cache name; one per installation. */
    public static final String CACHE = "tern-suppression";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerCache cache;
    private final Clock clock;

    public InfinispanSuppressionList(RemoteCacheManager manager, String cacheName, Clock clock) {
        this.cache = new ServerCache(manager, cacheName);
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> add(String address, String reason, Instant until) {
        String key = SuppressionList.normalize(address);
        Instant now = clock.instant();
        long lifespan = until.toEpochMilli() - now.toEpochMilli();
        if (lifespan <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return cache.call(c -> c.putAsync(key, encode(new Entry(key, reason, now, until)), lifespan,
                TimeUnit.MILLISECONDS)).thenApply(previous -> null);
    }

    @Override
    public CompletionStage<Optional<Entry>> lookup(String address) {
        String key = SuppressionList.normalize(address);
        return cache.call(c -> c.getAsync(key)).thenApply(value -> Optional.ofNullable(value)
                .map(v -> decode(key, v))
                .filter(e -> e.until().isAfter(clock.instant())));
    }

    @Override
    public CompletionStage<Map<String, Entry>> lookupAll(Collection<String> addresses) {
        Set<String> keys = addresses.stream().map(SuppressionList::normalize).collect(Collectors.toSet());
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return cache.call(c -> c.getAllAsync(keys)).thenApply(found -> {
            var out = new HashMap<String, Entry>();
            Instant now = clock.instant();
            found.forEach((key, value) -> {
                Entry e = decode(key, value);
                if (e.until().isAfter(now)) {
                    out.put(key, e);
                }
            });
            return out;
        });
    }

    /** Iterates the cache on the server in batches (blocking, off the caller's thread) until {@code limit}. */
    @Override
    public CompletionStage<java.util.List<Entry>> list(int limit) {
        return cache.call(c -> CompletableFuture.supplyAsync(() -> {
            var out = new java.util.ArrayList<Entry>();
            Instant now = clock.instant();
            try (var it = c.retrieveEntries(null, Math.max(1, Math.min(limit, 500)))) {
                while (out.size() < limit && it.hasNext()) {
                    var e = it.next();
                    Entry entry = decode((String) e.getKey(), (String) e.getValue());
                    if (entry.until().isAfter(now)) {
                        out.add(entry);
                    }
                }
            }
            out.sort(java.util.Comparator.comparing(Entry::address));
            return out;
        }));
    }

    @Override
    public CompletionStage<Boolean> remove(String address) {
        String key = SuppressionList.normalize(address);
        // removeAsync returns null unless the cache is told to return previous values; ask for it.
        return cache.call(c -> c.withFlags(Flag.FORCE_RETURN_VALUE).removeAsync(key))
                .thenApply(previous -> previous != null && decode(key, previous).until().isAfter(clock.instant()));
    }

    static String encode(Entry e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("reason", e.reason());
        o.put("added", e.added().toEpochMilli());
        o.put("until", e.until().toEpochMilli());
        return o.toString();
    }

    static Entry decode(String key, String value) {
        try {
            var o = JSON.readTree(value);
            return new Entry(key, o.path("reason").asText(""), Instant.ofEpochMilli(o.path("added").asLong()),
                    Instant.ofEpochMilli(o.path("until").asLong()));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable suppression entry for " + key, e);
        }
    }
}
