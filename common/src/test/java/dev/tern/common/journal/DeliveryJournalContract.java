package dev.tern.common.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.journal.DeliveryJournal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link DeliveryJournal} backend must show (docs/ARCHITECTURE.md, Adding a backend): implemented by one
 * test class per backend.
 */
interface DeliveryJournalContract {

    DeliveryJournal journal();

    @Test
    default void knowsNothingAboutANewMessage() {
        var id = UUID.randomUUID().toString();
        assertThat(journal().delivered(id, List.of("a@x.org")).toCompletableFuture().join()).isEmpty();
    }

    @Test
    default void remembersDeliveredRecipientsOfAMessage() {
        var id = UUID.randomUUID().toString();
        journal().recordDelivered(id, List.of("a@x.org", "b@x.org")).toCompletableFuture().join();
        assertThat(journal().delivered(id, List.of("a@x.org", "b@x.org", "c@x.org")).toCompletableFuture().join())
                .containsExactlyInAnyOrder("a@x.org", "b@x.org");
    }

    @Test
    default void accumulatesRecipientsAcrossWrites() {
        var id = UUID.randomUUID().toString();
        journal().recordDelivered(id, List.of("a@x.org")).toCompletableFuture().join();
        journal().recordDelivered(id, List.of("c@x.org")).toCompletableFuture().join();
        assertThat(journal().delivered(id, List.of("a@x.org", "b@x.org", "c@x.org")).toCompletableFuture().join())
                .containsExactlyInAnyOrder("a@x.org", "c@x.org");
    }

    @Test
    default void keepsMessagesApart() {
        var one = UUID.randomUUID().toString();
        var two = UUID.randomUUID().toString();
        journal().recordDelivered(one, List.of("a@x.org")).toCompletableFuture().join();
        assertThat(journal().delivered(two, List.of("a@x.org")).toCompletableFuture().join()).isEmpty();
    }
}
