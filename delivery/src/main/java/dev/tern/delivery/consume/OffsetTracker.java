package dev.tern.delivery.consume;

import java.util.TreeSet;

/**
 * Offsets of one partition that are being delivered, and the offset that is safe to commit.
 *
 * <p>Records finish out of order (a slow server holds one back while later ones are delivered),
 * but Kafka stores one committed position per partition. The committable position is the lowest
 * offset still in flight, or one past the highest offset started when nothing is in flight: the
 * contiguous prefix of finished records. A crash therefore re-reads only records whose outcome was
 * not yet durable, plus finished ones above a slow one (the journal suppresses their re-delivery).
 *
 * <p>Records skipped without being started (a retry-tier head not yet due, re-fetched later) are
 * simply not {@link #started}; the position cannot pass them because the consumer seeks back.
 * Not thread-safe: owned by the consumer thread.
 */
public final class OffsetTracker {

    private final TreeSet<Long> inFlight = new TreeSet<>();
    private long next = -1;
    private long committed = -1;

    public void started(long offset) {
        inFlight.add(offset);
        next = Math.max(next, offset + 1);
    }

    public void finished(long offset) {
        inFlight.remove(offset);
    }

    /** The position to commit, or -1 when nothing was started yet. */
    public long committable() {
        return inFlight.isEmpty() ? next : inFlight.first();
    }

    /** The committable position when it moved past the last {@link #markCommitted}, else -1. */
    public long commitDue() {
        long c = committable();
        return c > committed ? c : -1;
    }

    public void markCommitted(long position) {
        committed = Math.max(committed, position);
    }

    /** An asynchronous commit of {@code position} failed: offer the position again next time. */
    public void commitFailed(long position) {
        if (committed == position) {
            committed = -1;
        }
    }

    public int inFlight() {
        return inFlight.size();
    }
}
