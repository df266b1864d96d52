package dev.tern.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One message taken by ingress (answered 250 after Kafka acknowledged it): the first line of its
 * trace (docs/ARCHITECTURE.md, "Message trace and ternctl"). Written to {@code tern.events}
 * after the reply is decided, best effort: a lost one is counted, never retried, and never delays
 * the client.
 *
 * <p>Wire format as {@link DeliveryEvent}'s: a flat JSON object, null fields left out, unknown keys
 * ignored by readers; {@code kind} is always {@value #KIND}. The key is the queue id, so the
 * message's accepted record and its delivery events share a partition and stay in order.
 *
 * @param kind       always {@value #KIND}
 * @param id         the queue id ({@code tern-id})
 * @param messageId  the {@code Message-ID:} header's value, or null when the message has none
 * @param sender     the envelope sender, empty for the null sender
 * @param recipients the envelope recipients as queued
 * @param clientIp   the client's IP address
 * @param helo       the client's EHLO/HELO name
 * @param pod        the ingress pod ({@code HOSTNAME})
 * @param listener   the listener that took it ({@code smtp}, {@code submission}, ...)
 * @param size       octets queued (with our added headers)
 * @param quarantine why it was held on {@code tern.quarantine}, or null when queued for delivery
 * @param timestamp  epoch milliseconds when Kafka acknowledged it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AcceptedEvent(
        String kind,
        String id,
        String messageId,
        String sender,
        List<String> recipients,
        String clientIp,
        String helo,
        String pod,
        String listener,
        long size,
        String quarantine,
        long timestamp) {

    public static final String KIND = "accepted";

    public AcceptedEvent {
        Objects.requireNonNull(id, "id");
        kind = KIND;
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        sender = sender == null ? "" : sender;
    }

    public byte[] toJson() {
        return EventJson.write(this);
    }

    public static AcceptedEvent fromJson(byte[] json) {
        return EventJson.read(json, AcceptedEvent.class, "an accepted event");
    }

    /** The {@code tern.events} record for this event, keyed by queue id. */
    public ProducerRecord<String, byte[]> toRecord(String topic) {
        return new ProducerRecord<>(topic, id, toJson());
    }
}
