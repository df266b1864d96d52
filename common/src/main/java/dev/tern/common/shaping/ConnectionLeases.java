package dev.tern.common.shaping;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
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
     * How long a refusal's {@linkplain Demand marks} last: they are written again, at most once a
     * third of this, while the refusals go on, so a demand that has ended is forgotten this soon.
     */
    Duration MARK_LIFESPAN = Duration.ofSeconds(3);

    /**
     * A lease for one connection to {@code key}, or empty when {@code max} are held already. A
     * refusal marks the key {@linkplain Demand#wanted() wanted} for the shorter of {@code ttl}
     * and {@link #MARK_LIFESPAN}, and also {@linkplain Demand#starved() starved} when
     * {@code starved} is present.
     *
     * @param starved present when the asker holds fewer of the key's leases than its fair share
     *     (the caller's judgement: {@code max / live pods}, rounded up): how many it holds
     */
    CompletionStage<Optional<Lease>> tryAcquire(String key, int max, Duration ttl, OptionalInt starved);

    /**
     * What other clients were refused lately, for each of {@code keys} that has a mark (absent
     * keys have none): one request for all of them. Holders let idle connections of a wanted key
     * go instead of keeping them for later (issue 6: an idle pooled connection must not starve
     * another pod that has mail for the destination), and a holder with more leases than a
     * starved asker gives connections up after their current message until the two are even.
     *
     * <p>Deliberately not a default method: a lambda or decorator that forgot it would answer
     * "never wanted", and one pod's idle connections would then hold the other pods' slots for
     * the whole idle timeout (session 3 found exactly that in the production wiring).
     */
    CompletionStage<Map<String, Demand>> demand(Collection<String> keys);

    /**
     * Refusals of one key within the last {@link #MARK_LIFESPAN}.
     *
     * @param wanted someone was refused a lease
     * @param starved present when someone holding less than its fair share was refused a lease:
     *     how many it held (the latest such refusal's)
     * @param mark identifies that refusal's mark, so a holder acts on each mark once; null
     *     when not starved
     */
    record Demand(boolean wanted, OptionalInt starved, String mark) {
        public static final Demand NONE = new Demand(false, OptionalInt.empty(), null);
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
