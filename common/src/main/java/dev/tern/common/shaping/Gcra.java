package dev.tern.common.shaping;

import dev.tern.common.policy.Rate;
import java.time.Duration;
import java.time.Instant;

/**
 * The GCRA arithmetic shared by every {@link RateLimiter}, free of I/O so it can be tested with
 * fixed times.
 *
 * <p>State is one number, the theoretical arrival time {@code tat} (epoch nanoseconds) at which
 * the key's next token is due if the rate were used exactly. With emission interval {@code T}
 * and burst capacity {@code B}, the tolerance is {@code τ = (B − 1)·T}: a request at {@code now}
 * may take {@code n} tokens if {@code max(tat, now) + n·T − now ≤ τ + T}. Taking {@code n} tokens
 * moves {@code tat} to {@code max(tat, now) + n·T}. Batches are therefore bounded by {@code B},
 * and the long-run rate is exactly one token per {@code T}. When fewer than wanted are granted,
 * the wait reported is until the rest of the batch (at most {@code B}) fits, so the extra latency
 * a message sees is at most the burst window and a saturated caller spends one call per batch.
 */
final class Gcra {

    /** A state change: the new TAT to store (unchanged when nothing was granted). */
    record Outcome(long newTat, int granted, long waitNanos) {
    }

    private Gcra() {
    }

    /** Burst capacity: the tokens that fit in {@code burstWindow} at {@code rate}, at least 1. */
    static int burst(Rate rate, Duration burstWindow) {
        long perWindow = burstWindow.toNanos() / interval(rate);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, perWindow));
    }

    /** Emission interval in nanoseconds, at least 1. */
    static long interval(Rate rate) {
        return Math.max(1, rate.emissionInterval().toNanos());
    }

    static Outcome take(long tat, long now, long interval, int burst, int wanted) {
        if (wanted < 1) {
            throw new IllegalArgumentException("wanted must be at least 1, was " + wanted);
        }
        long base = Math.max(tat, now);
        long tolerance = (burst - 1L) * interval;
        // Negative when the TAT is further ahead than this rate's tolerance (the rate was lowered).
        long capacity = Math.floorDiv(now + tolerance + interval - base, interval);
        int granted = (int) Math.max(0, Math.min(wanted, capacity));
        long newTat = base + granted * interval;
        if (granted == wanted) {
            return new Outcome(newTat, granted, 0);
        }
        // Wait for the rest of the batch (at most one burst), not just the next token: a caller
        // that came back for every single token would make one remote call per message again.
        long rest = Math.min(wanted - granted, burst);
        long wait = newTat + (rest - 1) * interval - tolerance - now;
        return new Outcome(newTat, granted, wait);
    }

    static long epochNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
