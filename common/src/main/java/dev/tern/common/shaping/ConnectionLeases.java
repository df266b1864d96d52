package dev.tern.common.shaping;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A cluster-wide cap on concurrent connections per key (destination or MX rollup), as leases
 * with a time to live.
 *
 * <p><b>Contract.</b> At no time do more than {@code max} unexpired leases exist for one key
 * across every client of the same backend (callers must use one {@code max} per key; after a
 * lowered {@code max}, leases above it drain as they are released). A lease lasts {@code ttl}
 * from its acquisition or last successful {@link Lease#renew()}; a holder that dies stops
 * renewing, so its slot frees itself within {@code ttl} and other pods continue. A holder should
 * renew at about a third of the TTL and, when {@code renew()} reports the lease lost, finish the
 * current transaction and close the connection.
 *
 * <p><b>Threading.</b> Thread-safe and non-blocking; a {@link Lease} may be renewed and released
 * from any thread. <b>Failure:</b> an unreachable backend completes the stages exceptionally;
 * see {@link FallbackConnectionLeases}.
 */
public interface ConnectionLeases {

    /**
     * A lease for one connection to {@code key}, or empty when {@code max} are held already. A
     * refusal also marks the key as {@linkplain #wanted wanted} for {@code ttl}.
     */
    CompletionStage<Optional<Lease>> tryAcquire(String key, int max, Duration ttl);

    /**
     * Whether some client was refused a lease of {@code key} within the last lease TTL: holders
     * should then let idle connections go instead of keeping them for later (issue 6: an idle
     * pooled connection must not starve another pod that has mail for the destination). A
     * backend that cannot tell answers false, and idle connections then keep their idle timeout.
     */
    default CompletionStage<Boolean> wanted(String key) {
        return java.util.concurrent.CompletableFuture.completedFuture(false);
    }

    /** One held connection slot. */
    interface Lease {

        String key();

        /**
         * Extends the lease by its TTL from now. True if it was still held; false if it had
         * expired (and may have been taken by another holder) or was released.
         */
        CompletionStage<Boolean> renew();

        /** Gives the slot back; idempotent, and harmless after expiry. */
        CompletionStage<Void> release();
    }
}
