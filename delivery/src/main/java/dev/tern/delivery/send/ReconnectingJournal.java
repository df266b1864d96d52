package dev.tern.delivery.send;

import dev.tern.common.infinispan.BackgroundOpener;
import dev.tern.common.journal.DeliveryJournal;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The delivery journal, opened in the background ({@link BackgroundOpener}) so a delivery pod
 * starts and delivers while Infinispan is still coming up. While no journal is open, calls fail
 * at once and callers proceed without it. Thread-safe.
 */
public final class ReconnectingJournal implements DeliveryJournal {

    private final BackgroundOpener<DeliveryJournal> journal;

    public ReconnectingJournal(Supplier<DeliveryJournal> opener, Executor executor) {
        this.journal = new BackgroundOpener<>("delivery journal", opener, executor, Duration.ofSeconds(10));
    }

    /**
     * Waits (bounded) until the journal is open. The consumer calls this before its first poll: the
     * first records a restarted pod reads are exactly the ones a crash may have left half-done.
     */
    public boolean awaitOpen(Duration max) {
        return journal.awaitOpen(max);
    }

    private static <T> CompletionStage<T> unavailable() {
        return CompletableFuture.failedFuture(new IllegalStateException("journal unavailable"));
    }

    @Override
    public CompletionStage<Void> recordDelivered(String messageId, Collection<String> recipients) {
        DeliveryJournal j = journal.get();
        return j == null ? unavailable() : j.recordDelivered(messageId, recipients);
    }

    @Override
    public CompletionStage<Set<String>> delivered(String messageId, Collection<String> recipients) {
        DeliveryJournal j = journal.get();
        return j == null ? unavailable() : j.delivered(messageId, recipients);
    }
}
