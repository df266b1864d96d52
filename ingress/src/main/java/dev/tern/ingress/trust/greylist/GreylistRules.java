package dev.tern.ingress.trust.greylist;

import dev.tern.common.policy.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The greylisting state machine, free of I/O: from what the store holds for a triplet and the
 * time now, the verdict and the state to write. A triplet is first SEEN (defer for {@code delay});
 * a retry after the delay and within {@code retryWindow} of the first attempt makes it PASSED, and
 * it passes at once until {@code passLifetime} after it was last confirmed. A retry after the
 * window, or a passed triplet unused past its lifetime, starts over.
 */
final class GreylistRules {

    /**
     * A passed triplet's time is refreshed when it is older than this fraction of its lifetime, so
     * a sender writing regularly stays passed without a store write for every message.
     */
    static final int REFRESH_FRACTION = 8;

    private GreylistRules() {
    }

    /**
     * What to do.
     *
     * @param write    the state to store, or null for none
     * @param lifespan how long the store keeps {@code write} (clean-up only)
     * @param required whether the verdict holds only if {@code write} wins: a lost race re-reads
     *                 and decides again; a refresh that loses changes nothing
     */
    record Step(GreylistVerdict verdict, TripletState write, Duration lifespan, boolean required) {

        static Step answer(GreylistVerdict verdict) {
            return new Step(verdict, null, Duration.ZERO, false);
        }
    }

    static Step next(Optional<TripletState> current, Instant now, Checks.Greylisting policy) {
        if (current.isEmpty()) {
            return restart(now, policy, GreylistVerdict.Outcome.FIRST_SEEN);
        }
        TripletState state = current.get();
        Duration age = Duration.between(state.since(), now);
        if (age.isNegative()) {
            // Another pod's clock runs ahead of ours: as if it had just been written.
            age = Duration.ZERO;
        }
        if (state.phase() == TripletState.Phase.PASSED) {
            if (age.compareTo(policy.passLifetime()) > 0) {
                return restart(now, policy, GreylistVerdict.Outcome.EXPIRED);
            }
            GreylistVerdict known = GreylistVerdict.pass(GreylistVerdict.Outcome.KNOWN);
            if (age.compareTo(policy.passLifetime().dividedBy(REFRESH_FRACTION)) >= 0) {
                return new Step(known, TripletState.passed(now), policy.passLifetime(), false);
            }
            return Step.answer(known);
        }
        if (age.compareTo(policy.retryWindow()) > 0) {
            return restart(now, policy, GreylistVerdict.Outcome.EXPIRED);
        }
        if (age.compareTo(policy.delay()) < 0) {
            return Step.answer(GreylistVerdict.defer(GreylistVerdict.Outcome.TOO_EARLY, policy.delay().minus(age)));
        }
        return new Step(GreylistVerdict.pass(GreylistVerdict.Outcome.RETRIED), TripletState.passed(now),
                policy.passLifetime(), true);
    }

    private static Step restart(Instant now, Checks.Greylisting policy, GreylistVerdict.Outcome why) {
        return new Step(GreylistVerdict.defer(why, policy.delay()), TripletState.seen(now), policy.retryWindow(), true);
    }
}
