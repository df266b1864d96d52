package dev.tern.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One delivery attempt for one recipient: the record the delivery service writes to
 * {@code tern.events} (docs/ARCHITECTURE.md, "Topics and records" — the delivery ledger, replayable).
 *
 * <p>Wire format: key = queue id (so all events of a message share a partition and stay in
 * order), value = this record as a flat JSON object with the component names as keys; null fields
 * are left out. Readers must ignore unknown keys, so fields can be added without a flag day.
 *
 * @param messageId   queue id of the message ({@code tern-id})
 * @param recipient   the envelope recipient this event is about
 * @param sender      the envelope sender, empty for the null sender {@code <>}
 * @param destination the destination name the attempt counted against (domain, route or rollup)
 * @param transport   {@code mx}, {@code smtp://host:port} or {@code lmtp://host:port}
 * @param mxHost      the host name that was connected to (or tried last), or null
 * @param mxIp        the IP address that was connected to, or null
 * @param tls         negotiated TLS protocol and cipher, or null for plain text
 * @param replyCode   the SMTP reply code that decided the outcome (local replies use the same codes)
 * @param replyText   the reply text with its enhanced status code, e.g. {@code 5.1.1 no such user}
 * @param attempt     1-based number of this attempt
 * @param latencyMs   milliseconds from the start of the attempt to its outcome
 * @param outcome     what happened to the recipient
 * @param timestamp   epoch milliseconds when the outcome was known
 * @param category    why a failure failed, a {@code BounceCategory} label such as {@code invalid-recipient}
 *                    (docs/ARCHITECTURE.md, "Bounce classification"); null for a delivery and in
 *                    events written before categories existed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryEvent(
        String messageId,
        String recipient,
        String sender,
        String destination,
        String transport,
        String mxHost,
        String mxIp,
        String tls,
        int replyCode,
        String replyText,
        int attempt,
        long latencyMs,
        Outcome outcome,
        long timestamp,
        String category) {

    /** The fate of a recipient after one attempt. */
    public enum Outcome {
        /** Accepted by the next hop with a 2xx reply (or found delivered in the journal). */
        DELIVERED,
        /** Transient failure: queued on a retry tier. */
        DEFERRED,
        /** Permanent failure: written to {@code tern.failed} for a bounce. */
        BOUNCED,
        /** Still failing past the maximum queue lifetime: written to {@code tern.failed} (4.4.7). */
        EXPIRED,
        /** Permanent failure of a message with the null sender: dropped, never bounced (RFC 5321 §6.1). */
        DROPPED,
        /**
         * The recipient complained about the message (an ARF feedback report, RFC 5965, arriving at
         * the bounce address): written by the bounce service with transport {@code feedback}.
         */
        COMPLAINED,
        /** Deleted from the queue by an operator's purge order: no attempt, no DSN. */
        PURGED
    }

    public DeliveryEvent {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** An event without a failure category: a delivery, or one written before classification existed. */
    public DeliveryEvent(String messageId, String recipient, String sender, String destination, String transport,
            String mxHost, String mxIp, String tls, int replyCode, String replyText, int attempt, long latencyMs,
            Outcome outcome, long timestamp) {
        this(messageId, recipient, sender, destination, transport, mxHost, mxIp, tls, replyCode, replyText, attempt,
                latencyMs, outcome, timestamp, null);
    }

    public byte[] toJson() {
        return EventJson.write(this);
    }

    public static DeliveryEvent fromJson(byte[] json) {
        return EventJson.read(json, DeliveryEvent.class, "a delivery event");
    }

    /** The {@code tern.events} record for this event, keyed by message id. */
    public ProducerRecord<String, byte[]> toRecord(String topic) {
        return new ProducerRecord<>(topic, messageId, toJson());
    }
}
