package dev.tern.common.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a queued message stands in its life: attempts used, when the next may start, and when the
 * queue lifetime started.
 *
 * @param attempt       delivery attempts made so far (0 on {@code tern.inbound})
 * @param notBefore     earliest time of the next attempt (retry tiers); null = now
 * @param firstReceived when ingress accepted the message (start of the queue lifetime)
 */
public record Schedule(int attempt, Instant notBefore, Instant firstReceived) {

    public Schedule {
        Objects.requireNonNull(firstReceived, "firstReceived");
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative: " + attempt);
        }
    }

    /** A message just accepted at {@code received}: no attempt yet, due now. */
    public static Schedule firstAttempt(Instant received) {
        return new Schedule(0, null, received);
    }

    /** The schedule after {@code attempt} attempts, next due at {@code due} (null = now). */
    public Schedule next(int attempts, Instant due) {
        return new Schedule(attempts, due, firstReceived);
    }
}
