package dev.tern.delivery.quarantine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the index knows about one held message: enough to list and filter it, and where its record
 * is, so the message itself is read from Kafka only when asked for.
 *
 * @param id            queue id, the record key
 * @param sender        envelope sender, empty for the null sender
 * @param recipients    envelope recipients
 * @param reason        why it is held ({@code tern-quarantine-reason}), empty when the header is missing
 * @param size          bytes of the RFC 5322 message
 * @param quarantinedAt the record's timestamp: when ingress held it
 * @param partition     partition of the record in {@code tern.quarantine}
 * @param offset        offset of the record
 */
public record QuarantinedMessage(String id, String sender, List<String> recipients, String reason, long size,
        Instant quarantinedAt, int partition, long offset) {

    public QuarantinedMessage {
        recipients = List.copyOf(recipients);
    }

    /** The JSON object of the admin API's list and show. */
    public Map<String, Object> toJson() {
        var m = new LinkedHashMap<String, Object>();
        m.put("id", id);
        m.put("sender", sender);
        m.put("recipients", recipients);
        m.put("reason", reason);
        m.put("size", size);
        m.put("quarantinedAt", quarantinedAt.toString());
        return m;
    }
}
