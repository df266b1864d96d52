package dev.tern.ingress.trust.greylist;

import dev.tern.common.infinispan.ServerCache;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.infinispan.client.hotrod.Flag;
import org.infinispan.client.hotrod.RemoteCacheManager;

/**
 * {@link GreylistStore} in one Infinispan cache shared by every ingress pod: one entry per
 * triplet, value {@link TripletState#encode()}. Creation is {@code putIfAbsent} and promotion
 * {@code replaceWithVersion}, so two pods seeing the same triplet at once agree on its first-seen
 * time. Entries carry a Hot Rod lifespan (the retry window, then the pass lifetime) only so the
 * server forgets stale triplets: the server's clock is not the checking pod's, so the decisions
 * rest on the time inside the value. The cache is created on first use and again if the server
 * lost it ({@link ServerCache}). Thread-safe; Hot Rod errors fail the stages.
 */
public final class InfinispanGreylistStore implements GreylistStore {

    /** Default cache name; one per installation. */
    public static final String CACHE = "tern-greylist";

    private final ServerCache cache;

    public InfinispanGreylistStore(RemoteCacheManager manager, String cacheName) {
        this.cache = new ServerCache(manager, cacheName);
    }

    @Override
    public CompletionStage<Optional<Stored>> read(String key) {
        return cache.call(c -> c.getWithMetadataAsync(key)).thenApply(read -> read == null ? Optional.empty()
                : Optional.of(new Stored(TripletState.decode(read.getValue()), read.getVersion())));
    }

    @Override
    public CompletionStage<Boolean> create(String key, TripletState state, Duration lifespan) {
        return cache.call(c -> c.withFlags(Flag.FORCE_RETURN_VALUE)
                .putIfAbsentAsync(key, state.encode(), millis(lifespan), TimeUnit.MILLISECONDS))
                .thenApply(previous -> previous == null);
    }

    @Override
    public CompletionStage<Boolean> replace(String key, long version, TripletState state, Duration lifespan) {
        return cache.call(c -> c.replaceWithVersionAsync(key, state.encode(), version, millis(lifespan),
                TimeUnit.MILLISECONDS, 0, TimeUnit.MILLISECONDS));
    }

    /** At least 1 ms: a zero or negative lifespan would mean "forever" to Hot Rod. */
    private static long millis(Duration lifespan) {
        return Math.max(1, lifespan.toMillis());
    }

    /** Hot Rod requests sent by this store so far. */
    public long remoteCalls() {
        return cache.requests();
    }
}
