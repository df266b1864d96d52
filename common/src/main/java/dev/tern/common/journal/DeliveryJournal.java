package dev.tern.common.journal;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Remembers which recipients of a message the next hop has already accepted, so a delivery pod
 * that dies between a remote {@code 250} and its Kafka offset commit causes at most one duplicate
 * per recipient when another pod re-reads the record (docs/ARCHITECTURE.md, "Durability rules").
 *
 * <p>Contract: after {@link #recordDelivered} completes, {@link #delivered} for the same message id
 * returns those recipients (plus any recorded earlier) until the entries expire, which they do no
 * sooner than the {@code retention} given to the implementation — at least the maximum queue
 * lifetime, after which the message can no longer be re-read. Recipient addresses are compared
 * exactly as given. Both operations are asynchronous and thread-safe. A failed stage means the
 * journal could not be reached: callers carry on (delivery must not stop because the journal is
 * down), accepting that a crash in that window may duplicate mail.
 */
public interface DeliveryJournal {

    /** Records that {@code recipients} of message {@code messageId} were accepted by the next hop. */
    CompletionStage<Void> recordDelivered(String messageId, Collection<String> recipients);

    /** The subset of {@code recipients} already recorded as delivered for {@code messageId}. */
    CompletionStage<Set<String>> delivered(String messageId, Collection<String> recipients);
}
