package dev.tern.ingress.trust.greylist;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link GreylistStore} in a map, with versions like Hot Rod's; lifespans are recorded, not enforced. */
final class InMemoryGreylistStore implements GreylistStore {

    final Map<String, Stored> entries = new ConcurrentHashMap<>();
    final Map<String, Duration> lifespans = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();
    int writes;

    @Override
    public CompletionStage<Optional<Stored>> read(String key) {
        return CompletableFuture.completedFuture(Optional.ofNullable(entries.get(key)));
    }

    @Override
    public synchronized CompletionStage<Boolean> create(String key, TripletState state, Duration lifespan) {
        boolean won = entries.putIfAbsent(key, new Stored(state, versions.incrementAndGet())) == null;
        if (won) {
            lifespans.put(key, lifespan);
            writes++;
        }
        return CompletableFuture.completedFuture(won);
    }

    @Override
    public synchronized CompletionStage<Boolean> replace(String key, long version, TripletState state,
            Duration lifespan) {
        Stored current = entries.get(key);
        if (current == null || current.version() != version) {
            return CompletableFuture.completedFuture(false);
        }
        entries.put(key, new Stored(state, versions.incrementAndGet()));
        lifespans.put(key, lifespan);
        writes++;
        return CompletableFuture.completedFuture(true);
    }
}
