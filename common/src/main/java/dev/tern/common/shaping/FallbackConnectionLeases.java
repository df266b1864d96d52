package dev.tern.common.shaping;

import java.time.Duration;
import java.util.Optional;
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
    public CompletionStage<Optional<Lease>> tryAcquire(String key, int max, Duration ttl) {
        return fallback.call("lease " + key,
                () -> shared.tryAcquire(key, max, ttl).thenApply(lease -> lease.map(SharedLease::new)),
                () -> local.tryAcquire(key, Math.max(1, max / fallback.livePods()), ttl),
                () -> java.util.concurrent.CompletableFuture.completedFuture(Optional.empty()));
    }

    /**
     * Asked of the backend in use, but never a reason to switch: "wanted" only shortens idle
     * connections, so a slow or failed answer is simply "no".
     */
    @Override
    public CompletionStage<Boolean> wanted(String key) {
        if (fallback.degraded()) {
            return local.wanted(key);
        }
        return shared.wanted(key).toCompletableFuture().exceptionally(unreachable -> false);
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
