package dev.tern.bounce.suppression;

import dev.tern.bounce.metrics.BounceMetrics;
import dev.tern.common.logging.ThrottledWarning;
import dev.tern.common.suppression.SuppressionList;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Adds addresses to the suppression list on behalf of the bounce handlers (hard bounces from
 * {@code tern.failed}, failed DSNs and complaints from {@code tern.feedback}) and counts the result.
 *
 * <p>Failure: the returned stage always completes normally. A write that failed (Infinispan down)
 * is counted ({@code tern_bounce_errors_total{stage="suppression"}}) and logged at most once a
 * minute, because one missed suppression costs one more bounce later while a record held back
 * stalls every notice behind it (docs/ARCHITECTURE.md, "Bounces"). Thread-safe.
 */
public final class SuppressionWriter {

    private static final Logger LOG = Logger.getLogger(SuppressionWriter.class);
    /** One line a minute while the list cannot be written, not one per recipient. */
    private static final ThrottledWarning FAILED = new ThrottledWarning(LOG, Duration.ofMinutes(1));

    private final SuppressionList list;
    private final BounceMetrics metrics;
    private final Clock clock;

    public SuppressionWriter(SuppressionList list, BounceMetrics metrics, Clock clock) {
        this.list = list;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Suppresses {@code address} for {@code duration} from now; {@code about} names the message for the log. */
    public CompletableFuture<Void> suppress(String about, String address, String reason, Duration duration) {
        return list.add(address, reason, clock.instant().plus(duration)).handle((v, error) -> {
            if (error != null) {
                metrics.error("suppression");
                FAILED.warn("%s: could not suppress <%s>: %s", about, address, error.toString());
            } else {
                metrics.suppressed();
            }
            return (Void) null;
        }).toCompletableFuture();
    }
}
