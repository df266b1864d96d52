package dev.tern.ingress.trust.greylist;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link GreylistStore} in this JVM's memory, for unit tests and a single ingress without
 * Infinispan. Entries expire after their lifespan by {@code clock}, like Hot Rod's; versions
 * change on every write, so conditional writes behave as Infinispan's do. Expired entries are
 * dropped when read and by {@link #evictExpired()}. Thread-safe; stages are always complete.
 */
public final class InMemoryGreylistStore implements GreylistStore {

    private record Entry(Stored stored, long expiresAt) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    public InMemoryGreylistStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<Optional<Stored>> read(String key) {
        return CompletableFuture.completedFuture(Optional.ofNullable(live(key)).map(Entry::stored));
    }

    @Override
    public CompletionStage<Boolean> create(String key, TripletState state, Duration lifespan) {
        var mine = entry(state, lifespan);
        Entry now = entries.compute(key, (k, old) -> old == null || expired(old) ? mine : old);
        return CompletableFuture.completedFuture(now == mine);
    }

    @Override
    public CompletionStage<Boolean> replace(String key, long version, TripletState state, Duration lifespan) {
        var mine = entry(state, lifespan);
        Entry now = entries.computeIfPresent(key,
                (k, old) -> !expired(old) && old.stored().version() == version ? mine : old);
        return CompletableFuture.completedFuture(now == mine);
    }

    /** Drops expired entries; call periodically when this store serves a long-running process. */
    public void evictExpired() {
        entries.values().removeIf(this::expired);
    }

    private Entry live(String key) {
        Entry e = entries.get(key);
        if (e != null && expired(e)) {
            entries.remove(key, e);
            return null;
        }
        return e;
    }

    private Entry entry(TripletState state, Duration lifespan) {
        return new Entry(new Stored(state, versions.incrementAndGet()), clock.millis() + lifespan.toMillis());
    }

    private boolean expired(Entry e) {
        return clock.millis() >= e.expiresAt();
    }
}
