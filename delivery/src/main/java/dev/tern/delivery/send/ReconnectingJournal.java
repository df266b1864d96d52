package dev.tern.delivery.send;

import dev.tern.common.journal.DeliveryJournal;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Opens the real journal in the background, and again after a failure to open it, so a delivery
 * pod starts and delivers while Infinispan is still coming up (DESIGN.md: delivery must not stop
 * because shared state is unreachable). Opening blocks (Hot Rod connects and creates the cache), so
 * it runs on {@code opener}'s executor, never on the caller's thread: callers are on the event loop.
 * While no journal is open, calls fail at once and callers proceed without it. Thread-safe.
 */
public final class ReconnectingJournal implements DeliveryJournal {

    private static final Logger LOG = Logger.getLogger(ReconnectingJournal.class);
    private static final long RETRY_NANOS = Duration.ofSeconds(10).toNanos();

    private final Supplier<DeliveryJournal> opener;
    private final Executor executor;
    private final AtomicBoolean opening = new AtomicBoolean();
    private volatile DeliveryJournal journal;
    private volatile long nextTry = System.nanoTime();

    public ReconnectingJournal(Supplier<DeliveryJournal> opener, Executor executor) {
        this.opener = opener;
        this.executor = executor;
        open();
    }

    private void open() {
        if (journal != null || System.nanoTime() - nextTry < 0 || !opening.compareAndSet(false, true)) {
            return;
        }
        executor.execute(() -> {
            try {
                journal = opener.get();
                LOG.info("delivery journal open");
            } catch (RuntimeException e) {
                nextTry = System.nanoTime() + RETRY_NANOS;
                LOG.warnf("delivery journal unavailable, retrying in 10 s: %s", e.toString());
            } finally {
                opening.set(false);
            }
        });
    }

    /**
     * Waits (bounded) until the journal is open. The consumer calls this before its first poll: the
     * first records a restarted pod reads are exactly the ones a crash may have left half-done.
     */
    public boolean awaitOpen(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (journal == null && System.nanoTime() - deadline < 0) {
            open();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return journal != null;
    }

    private <T> CompletionStage<T> unavailable() {
        open();
        return CompletableFuture.failedFuture(new IllegalStateException("journal unavailable"));
    }

    @Override
    public CompletionStage<Void> recordDelivered(String messageId, Collection<String> recipients) {
        DeliveryJournal j = journal;
        return j == null ? unavailable() : j.recordDelivered(messageId, recipients);
    }

    @Override
    public CompletionStage<Set<String>> delivered(String messageId, Collection<String> recipients) {
        DeliveryJournal j = journal;
        return j == null ? unavailable() : j.delivered(messageId, recipients);
    }
}
