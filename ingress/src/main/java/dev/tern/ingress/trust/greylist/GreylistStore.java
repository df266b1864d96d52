package dev.tern.ingress.trust.greylist;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where triplets live, shared by every ingress pod so that a retry landing on another pod passes.
 * Writes are conditional so that pods racing on one triplet agree: {@link #create} only when
 * absent, {@link #replace} only over the version that was read. A failed stage means the store
 * is unreachable; the caller passes the mail (see {@link Greylist}).
 */
public interface GreylistStore {

    /** A stored state and the version a conditional {@link #replace} must name. */
    record Stored(TripletState state, long version) {
    }

    CompletionStage<Optional<Stored>> read(String key);

    /** Writes {@code state} if the key is absent; true when this call wrote it. */
    CompletionStage<Boolean> create(String key, TripletState state, Duration lifespan);

    /** Writes {@code state} if the key still has {@code version}; true when this call wrote it. */
    CompletionStage<Boolean> replace(String key, long version, TripletState state, Duration lifespan);
}
