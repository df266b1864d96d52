package dev.tern.local.runtime.process;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Polls a readiness probe until it passes, the owning child dies, or time runs out.
 *
 * <p>Failures carry the probe's last exception and the tail of the child's log, because "Kafka
 * did not start" is useless without the broker's own reason.
 */
public final class Await {

    private Await() {
    }

    /** Calls {@code probe} every 200 ms until it returns true. */
    public static void ready(ChildProcess child, Duration timeout, Supplier<Boolean> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new IllegalStateException(child + " exited during start-up; log "
                        + child.logFile() + ":\n" + child.logTail(40));
            }
            try {
                if (probe.get()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(200);
        }
        child.stop();
        throw new IllegalStateException(child + " not ready within " + timeout + "; log "
                + child.logFile() + ":\n" + child.logTail(40), last);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a server", e);
        }
    }
}
