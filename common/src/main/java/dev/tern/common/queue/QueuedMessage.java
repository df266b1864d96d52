package dev.tern.common.queue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A message in Tern's queue: its envelope, where it came from, where it stands in its schedule,
 * and the raw RFC 5322 message as received.
 *
 * <p>This is the one unit that travels through every topic ({@code tern.inbound}, the retry
 * tiers, {@code tern.failed}); {@link RecordCodec} maps it to a Kafka record whose headers carry
 * the envelope and whose value is the message. Immutable; {@link #body()} is shared, never copied.
 *
 * @param id         queue id, unique per accepted message, also the Kafka record key
 * @param envelope   sender, recipients still to handle, MAIL FROM parameters
 * @param provenance the receiving session (or the service that wrote the message)
 * @param schedule   attempts so far, next due time, first received
 * @param body       the raw message, CRLF line endings, headers including our Received:
 */
public record QueuedMessage(String id, QueuedEnvelope envelope, Provenance provenance, Schedule schedule,
        byte[] body) {

    public QueuedMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(body, "body");
    }

    /** Shorthand for {@code envelope().recipients()}. */
    public List<QueuedRecipient> recipients() {
        return envelope.recipients();
    }

    /** Shorthand for {@code envelope().sender()}: empty for the null sender. */
    public String sender() {
        return envelope.sender();
    }

    /** True for bounces and other notices sent with {@code MAIL FROM:<>}: they are never bounced. */
    public boolean hasNullSender() {
        return envelope.hasNullSender();
    }

    /** The same message for a later attempt, carrying only {@code remaining} recipients. */
    public QueuedMessage forRetry(List<QueuedRecipient> remaining, int nextAttempt, Instant due) {
        return new QueuedMessage(id, envelope.withRecipients(remaining), provenance, schedule.next(nextAttempt, due),
                body);
    }

    /** The same message with a different recipient list and schedule unchanged. */
    public QueuedMessage withRecipients(List<QueuedRecipient> subset) {
        return new QueuedMessage(id, envelope.withRecipients(subset), provenance, schedule, body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueuedMessage m && m.id.equals(id) && m.envelope.equals(envelope)
                && m.provenance.equals(provenance) && m.schedule.equals(schedule) && Arrays.equals(m.body, body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, schedule.attempt(), envelope.recipients());
    }

    @Override
    public String toString() {
        return "QueuedMessage[" + id + " from <" + sender() + "> to " + recipients().size()
                + " rcpt(s), attempt " + schedule.attempt() + ", " + body.length + " bytes]";
    }
}
