package dev.tern.common.dns;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caches answers of another {@link DnsLookup} for their TTL (capped by {@code maxTtl}), so a
 * burst of mail to one domain costs one MX lookup. Concurrent questions for the same name share
 * one query in flight. Negative answers (NXDOMAIN, no records) are cached for their SOA minimum
 * (RFC 2308 §5). Failed lookups (timeouts) and temporary failures (SERVFAIL) are not cached: the
 * next question asks again.
 * Thread-safe; the map is bounded in practice by the set of destination domains, and expired
 * entries are dropped on access and by {@link #evictExpired()}.
 */
public final class CachingDnsLookup implements DnsLookup {

    private record Entry(CompletableFuture<DnsAnswer> answer, long expiresAt) {
    }

    private final DnsLookup delegate;
    private final Duration maxTtl;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    public CachingDnsLookup(DnsLookup delegate, Duration maxTtl, Clock clock) {
        this.delegate = delegate;
        this.maxTtl = maxTtl;
        this.clock = clock;
    }

    @Override
    public CompletionStage<DnsAnswer> query(String name, int type) {
        String key = type + " " + name.toLowerCase(java.util.Locale.ROOT);
        long now = clock.millis();
        // Until the answer arrives the placeholder never expires, so concurrent askers share it.
        var mine = new Entry(new CompletableFuture<>(), Long.MAX_VALUE);
        Entry current = cache.compute(key, (k, old) -> old != null && old.expiresAt > now ? old : mine);
        if (current != mine) {
            return current.answer;
        }
        // The query starts outside compute(): a lookup that completes synchronously updates the map.
        delegate.query(name, type).whenComplete((answer, error) -> {
            if (error != null) {
                cache.remove(key, mine);
                mine.answer.completeExceptionally(error);
                return;
            }
            if (answer.temporaryFailure()) {
                cache.remove(key, mine);
            } else {
                long ttl = Math.min(answer.ttl().toMillis(), maxTtl.toMillis());
                cache.replace(key, mine, new Entry(mine.answer, clock.millis() + ttl));
            }
            mine.answer.complete(answer);
        });
        return mine.answer;
    }

    /** Drops expired entries; called periodically so names that are no longer mailed do not pile up. */
    public void evictExpired() {
        long now = clock.millis();
        cache.values().removeIf(e -> e.expiresAt < now);
    }
}
