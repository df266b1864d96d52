package dev.tern.ingress.trust.recipients;

import dev.tern.common.policy.Transport;
import dev.tern.smtp.address.Mailbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link CalloutCache} in this JVM only: for unit tests and for an ingress run without Infinispan.
 * Expired entries are dropped when read; a pod that asks about endless distinct addresses keeps
 * at most {@code maxEntries}, clearing all when full (a cache, so forgetting is always safe).
 * Thread-safe; stages are already complete.
 */
public final class InMemoryCalloutCache implements CalloutCache {

    private record Entry(CalloutVerdict verdict, Instant expires) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxEntries;

    public InMemoryCalloutCache(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    @Override
    public CompletionStage<Optional<CalloutVerdict>> get(Mailbox recipient, Transport server) {
        String key = CalloutCache.key(recipient, server);
        Entry e = entries.get(key);
        if (e == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        if (!clock.instant().isBefore(e.expires())) {
            entries.remove(key, e);
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.completedFuture(Optional.of(e.verdict()));
    }

    @Override
    public CompletionStage<Void> put(Mailbox recipient, Transport server, CalloutVerdict verdict, Duration lifespan) {
        if (verdict.cacheable()) {
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
            entries.put(CalloutCache.key(recipient, server), new Entry(verdict, clock.instant().plus(lifespan)));
        }
        return CompletableFuture.completedFuture(null);
    }
}
