package dev.tern.common.suppression;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SuppressionList} in this JVM's heap: for unit tests and a single pod without Infinispan.
 * Nothing survives the process and other pods see nothing. Expired entries are dropped lazily when
 * read. Thread-safe; every stage is already complete when returned.
 */
public final class InMemorySuppressionList implements SuppressionList {

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemorySuppressionList(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> add(String address, String reason, Instant until) {
        String key = SuppressionList.normalize(address);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (until.isAfter(now)) {
            entries.put(key, new Entry(key, reason, now, until.truncatedTo(ChronoUnit.MILLIS)));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Optional<Entry>> lookup(String address) {
        String key = SuppressionList.normalize(address);
        Entry e = entries.get(key);
        if (e != null && !e.until().isAfter(clock.instant())) {
            entries.remove(key, e);
            e = null;
        }
        return CompletableFuture.completedFuture(Optional.ofNullable(e));
    }

    @Override
    public CompletionStage<java.util.List<Entry>> list(int limit) {
        Instant now = clock.instant();
        return CompletableFuture.completedFuture(entries.values().stream().filter(e -> e.until().isAfter(now))
                .limit(Math.max(0, limit)).sorted(java.util.Comparator.comparing(Entry::address)).toList());
    }

    @Override
    public CompletionStage<Boolean> remove(String address) {
        String key = SuppressionList.normalize(address);
        Entry e = entries.remove(key);
        return CompletableFuture.completedFuture(e != null && e.until().isAfter(clock.instant()));
    }
}
