package dev.tern.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One operator action on a service's admin API ({@code POST}, {@code DELETE}, ... under
 * {@code /admin}): the audit record every service writes to {@code tern.events}
 * (docs/ARCHITECTURE.md, "Admin API security"), once the response status is known. Refused
 * attempts (401, 403) are recorded too.
 *
 * <p>Wire format as {@link DeliveryEvent}'s: a flat JSON object, null fields left out, unknown keys
 * ignored by readers. {@code kind} is always {@value #KIND}, which tells these records from
 * delivery events (which have no {@code kind}); the key is {@code admin:<service>}, so a service's
 * actions stay in order and never share a key with a message's events. The token itself is never
 * part of it, only the name its tokens-file line gives it.
 *
 * @param kind      always {@value #KIND}
 * @param service   the service that answered ({@code tern-delivery})
 * @param who       the token's name, or {@code -} when no valid token was presented
 * @param method    the HTTP method
 * @param path      the request path, e.g. {@code /admin/destinations/example.org/suspend}
 * @param params    the query parameters, each with all its values
 * @param status    the HTTP status of the response
 * @param client    the client's address as the service saw it
 * @param timestamp epoch milliseconds when the response was finished
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdminAuditEvent(
        String kind,
        String service,
        String who,
        String method,
        String path,
        Map<String, List<String>> params,
        int status,
        String client,
        long timestamp) {

    public static final String KIND = "admin-audit";

    public AdminAuditEvent {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        kind = KIND;
        params = params == null ? Map.of() : params;
    }

    /** An audit record; {@code kind} is filled in. */
    public static AdminAuditEvent of(String service, String who, String method, String path,
            Map<String, List<String>> params, int status, String client, long timestamp) {
        return new AdminAuditEvent(KIND, service, who, method, path, params, status, client, timestamp);
    }

    public byte[] toJson() {
        return EventJson.write(this);
    }

    public static AdminAuditEvent fromJson(byte[] json) {
        return EventJson.read(json, AdminAuditEvent.class, "an admin audit event");
    }

    /** The record key: {@code admin:<service>}. */
    public String key() {
        return "admin:" + service;
    }

    /** The {@code tern.events} record for this event, keyed by {@link #key()}. */
    public ProducerRecord<String, byte[]> toRecord(String topic) {
        return new ProducerRecord<>(topic, key(), toJson());
    }
}
