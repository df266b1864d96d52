package dev.tern.common.journal;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link DeliveryJournal} in this JVM's heap: for unit tests and a single pod without Infinispan.
 * It does not survive the process, so it protects only against re-reads within one process.
 * Entries expire after the retention, checked lazily on read. Thread-safe.
 */
public final class InMemoryDeliveryJournal implements DeliveryJournal {

    private final ConcurrentHashMap<String, Long> expiries = new ConcurrentHashMap<>();
    private final Duration retention;
    private final Clock clock;

    public InMemoryDeliveryJournal(Duration retention, Clock clock) {
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> recordDelivered(String messageId, Collection<String> recipients) {
        long expiry = clock.millis() + retention.toMillis();
        for (String r : recipients) {
            expiries.put(InfinispanDeliveryJournal.key(messageId, r), expiry);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Set<String>> delivered(String messageId, Collection<String> recipients) {
        long now = clock.millis();
        var out = new HashSet<String>();
        for (String r : recipients) {
            String key = InfinispanDeliveryJournal.key(messageId, r);
            Long expiry = expiries.get(key);
            if (expiry != null && expiry > now) {
                out.add(r);
            } else if (expiry != null) {
                expiries.remove(key, expiry);
            }
        }
        return CompletableFuture.completedFuture(out);
    }
}
