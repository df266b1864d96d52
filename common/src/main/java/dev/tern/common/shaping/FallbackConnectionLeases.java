package dev.tern.common.shaping;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;

/**
 * {@link ConnectionLeases} that uses the shared leases and, while {@link Fallback} reports them
 * unreachable, local ones capped at {@code max / livePods} (at least 1).
 *
 * <p>A lease keeps the backend it came from. Renewing or releasing a shared lease while the
 * backend is down cannot reach it: renew then reports the lease as still held (the connection is
 * working, and this pod now counts against local limits) and release completes normally, since
 * the slot expires by its TTL anyway. Connections opened before an outage are not counted against
 * the local cap; they close within their message limit. Thread-safe.
 */
public final class FallbackConnectionLeases implements ConnectionLeases {

    private final ConnectionLeases shared;
    private final ConnectionLeases local;
    private final Fallback fallback;

    public FallbackConnectionLeases(ConnectionLeases shared, ConnectionLeases local, Fallback fallback) {
        this.shared = shared;
        this.local = local;
        this.fallback = fallback;
    }

    @Override
    public CompletionStage<Optional<Lease>> tryAcquire(String key, int max, Duration ttl, OptionalInt starved) {
        return fallback.call("lease " + key,
                () -> shared.tryAcquire(key, max, ttl, starved).thenApply(lease -> lease.map(SharedLease::new)),
                () -> local.tryAcquire(key, Math.max(1, max / fallback.livePods()), ttl, starved),
                () -> java.util.concurrent.CompletableFuture.completedFuture(Optional.empty()));
    }

    /**
     * Asked of the backend in use, but never a reason to switch: demand only shortens idle
     * connections and evens out busy ones, so a slow or failed answer is simply "none".
     */
    @Override
    public CompletionStage<Map<String, Demand>> demand(Collection<String> keys) {
        if (fallback.degraded()) {
            return local.demand(keys);
        }
        return shared.demand(keys).toCompletableFuture().exceptionally(unreachable -> Map.of());
    }

    public boolean degraded() {
        return fallback.degraded();
    }

    /** A shared lease whose renew and release survive an outage, as described above. */
    private static final class SharedLease implements Lease {

        private final Lease lease;

        SharedLease(Lease lease) {
            this.lease = lease;
        }

        @Override
        public String key() {
            return lease.key();
        }

        @Override
        public CompletionStage<Boolean> renew() {
            return lease.renew().exceptionally(unreachable -> true);
        }

        @Override
        public CompletionStage<Void> release() {
            return lease.release().exceptionally(unreachable -> null);
        }
    }
}
