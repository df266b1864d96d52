package dev.tern.common.shaping;

import dev.tern.common.policy.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Cluster-wide adaptive backoff per key: after a 421, a 4.7.x "rate limited" reply or a run of
 * connection failures, one pod {@linkplain #suspend suspends} the destination and every pod sees
 * it on its next {@link #suspendedUntil} check.
 *
 * <p><b>Contract.</b> A suspension is visible to every client of the same backend until its end.
 * Suspending an already suspended key keeps the later end: a short suspension never cuts a long
 * one short. After the end, {@link #lookup} still returns the suspension for the implementation's
 * retention time so callers can ramp back up with {@link Suspension#allowedFraction}; how fast to
 * ramp is the caller's policy.
 *
 * <p><b>Threading.</b> Thread-safe and non-blocking. <b>Failure:</b> an unreachable backend
 * completes the stages exceptionally; see {@link FallbackBackoff}.
 */
public interface Backoff {

    /** Suspends {@code key} for {@code duration} from now, unless it is suspended longer already. */
    CompletionStage<Void> suspend(String key, Duration duration, String reason);

    /** The end of the current suspension of {@code key}; empty when it is not suspended now. */
    CompletionStage<Optional<Instant>> suspendedUntil(String key);

    /** The latest suspension of {@code key}, current or ended within the retention time. */
    CompletionStage<Optional<Suspension>> lookup(String key);

    /** One suspension: its end and the reply or event that caused it (for logs and metrics). */
    record Suspension(Instant until, String reason) {

        /** Fraction allowed just after a suspension ends; ramping from zero would never restart. */
        public static final double RAMP_START = 0.1;

        /**
         * The fraction of the configured rate allowed at {@code now}: 0 while suspended, then
         * rising linearly from {@link #RAMP_START} to 1 over {@code ramp}, and 1 afterwards.
         */
        public double allowedFraction(Instant now, Duration ramp) {
            if (now.isBefore(until)) {
                return 0;
            }
            long elapsed = Duration.between(until, now).toMillis();
            if (ramp.isZero() || elapsed >= ramp.toMillis()) {
                return 1;
            }
            return RAMP_START + (1 - RAMP_START) * elapsed / ramp.toMillis();
        }

        /**
         * {@code configured} scaled by {@link #allowedFraction}; empty while suspended. The count
         * is kept and the period stretched, so low rates such as {@code 1/h} scale without
         * rounding to zero.
         */
        public Optional<Rate> rampedRate(Rate configured, Instant now, Duration ramp) {
            double fraction = allowedFraction(now, ramp);
            if (fraction <= 0) {
                return Optional.empty();
            }
            if (fraction >= 1) {
                return Optional.of(configured);
            }
            return Optional.of(new Rate(configured.count(),
                    Duration.ofNanos((long) (configured.period().toNanos() / fraction))));
        }
    }
}
