package dev.tern.common.logging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * One kind of warning that may happen for every message while a dependency is down (a journal
 * read, a suppression write): logged at once the first time, then at most once per
 * {@code interval} with the number of times it happened in between, so an outage of Infinispan
 * under load costs a few log lines, not one per message. Thread-safe.
 */
public final class ThrottledWarning {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextAt;
    private final AtomicLong suppressed = new AtomicLong();

    public ThrottledWarning(Logger log, Duration interval) {
        this(log, interval, System::nanoTime);
    }

    ThrottledWarning(Logger log, Duration interval, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.nextAt = new AtomicLong(nanoTime.getAsLong());
    }

    /** Logs {@code format} (a {@link String#format} pattern) now, or counts it for the next line. */
    public void warn(String format, Object... args) {
        long now = nanoTime.getAsLong();
        long due = nextAt.get();
        if (now - due < 0 || !nextAt.compareAndSet(due, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long more = suppressed.getAndSet(0);
        String line = String.format(format, args);
        log.warn(more == 0 ? line : line + " (and " + more + " more like it in the last "
                + Duration.ofNanos(intervalNanos).toSeconds() + " s)");
    }
}
