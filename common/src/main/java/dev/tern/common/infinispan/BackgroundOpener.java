package dev.tern.common.infinispan;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Opens a shared-state client (an Infinispan-backed journal, suppression list, …) in the
 * background, and again after a failure to open it, so a service starts and works while
 * Infinispan is still coming up (docs/ARCHITECTURE.md, Durability rules: delivery must not stop when shared state is
 * unreachable). Opening blocks (Hot Rod connects and creates the cache), so it runs on
 * {@code executor}, never on the caller's thread: callers are on the event loop. Thread-safe.
 *
 * @param <T> what is opened
 */
public final class BackgroundOpener<T> {

    private static final Logger LOG = Logger.getLogger(BackgroundOpener.class);

    private final String what;
    private final Supplier<T> opener;
    private final Executor executor;
    private final long retryNanos;
    private final AtomicBoolean opening = new AtomicBoolean();
    private volatile T value;
    private volatile long nextTry = System.nanoTime();

    /**
     * Starts the first attempt at once.
     *
     * @param what names the thing in log lines, e.g. {@code "delivery journal"}
     */
    public BackgroundOpener(String what, Supplier<T> opener, Executor executor, Duration retry) {
        this.what = what;
        this.opener = opener;
        this.executor = executor;
        this.retryNanos = retry.toNanos();
        open();
    }

    /** The opened value, or null while it is not open (which starts another attempt when one is due). */
    public T get() {
        T v = value;
        if (v == null) {
            open();
        }
        return v;
    }

    private void open() {
        if (value != null || System.nanoTime() - nextTry < 0 || !opening.compareAndSet(false, true)) {
            return;
        }
        executor.execute(() -> {
            try {
                value = opener.get();
                LOG.infof("%s open", what);
            } catch (RuntimeException e) {
                nextTry = System.nanoTime() + retryNanos;
                // A refused password is reported once for the whole service, not once per retry.
                if (!HotRodFailures.reportIfMisconfigured(e)) {
                    LOG.warnf("%s unavailable, retrying in %d s: %s", what, Duration.ofNanos(retryNanos).toSeconds(),
                            e.toString());
                }
            } finally {
                opening.set(false);
            }
        });
    }

    /** Waits (bounded) until the value is open; true when it is. */
    public boolean awaitOpen(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (value == null && System.nanoTime() - deadline < 0) {
            open();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return value != null;
    }
}
