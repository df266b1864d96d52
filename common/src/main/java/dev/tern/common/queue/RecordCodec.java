package dev.tern.common.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Maps a {@link QueuedMessage} to and from a Kafka record (docs/ARCHITECTURE.md, "Topics and records").
 *
 * <p>Key: the queue id (spreads load evenly, keeps one message's records on one partition).
 * Value: the raw RFC 5322 message; compression (zstd) is the producer's job, per batch.
 * Headers: one per envelope field, {@code tern-*}, UTF-8 text, so {@code kafka-console-consumer
 * --property print.headers=true} shows a readable envelope; one {@code tern-rcpt} header per
 * recipient holding a small JSON object. Unknown headers are ignored, so fields can be added
 * without a flag day. A record whose required headers are missing or malformed decodes to a
 * {@link MalformedRecordException}, never to a half-filled message.
 */
public final class RecordCodec {

    public static final String ID = "tern-id";
    public static final String SENDER = "tern-sender";
    public static final String RCPT = "tern-rcpt";
    public static final String ATTEMPT = "tern-attempt";
    public static final String NOT_BEFORE = "tern-not-before";
    public static final String FIRST_RECEIVED = "tern-first-received";
    public static final String TENANT = "tern-tenant";
    public static final String CLIENT_IP = "tern-client-ip";
    public static final String HELO = "tern-helo";
    public static final String TLS = "tern-tls";
    public static final String AUTH = "tern-auth";
    public static final String ENVID = "tern-envid";
    public static final String RET = "tern-ret";
    public static final String BODY = "tern-body";
    public static final String SMTPUTF8 = "tern-smtputf8";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordCodec() {
    }

    public static ProducerRecord<String, byte[]> toRecord(String topic, QueuedMessage m) {
        return new ProducerRecord<>(topic, null, m.id(), m.body(), headers(m));
    }

    public static Headers headers(QueuedMessage m) {
        var h = new RecordHeaders();
        put(h, ID, m.id());
        put(h, SENDER, m.sender());
        for (Recipient r : m.recipients()) {
            put(h, RCPT, recipientJson(r));
        }
        put(h, ATTEMPT, Integer.toString(m.attempt()));
        if (m.notBefore() != null) {
            put(h, NOT_BEFORE, Long.toString(m.notBefore().toEpochMilli()));
        }
        put(h, FIRST_RECEIVED, Long.toString(m.firstReceived().toEpochMilli()));
        put(h, TENANT, m.tenant());
        put(h, CLIENT_IP, m.clientIp());
        put(h, HELO, m.helo());
        put(h, TLS, m.tls());
        put(h, AUTH, m.authIdentity());
        put(h, ENVID, m.envid());
        put(h, RET, m.ret());
        put(h, BODY, m.bodyType());
        if (m.smtputf8()) {
            put(h, SMTPUTF8, "1");
        }
        return h;
    }

    public static QueuedMessage fromRecord(ConsumerRecord<String, byte[]> record) {
        return fromHeaders(record.headers(), record.value());
    }

    public static QueuedMessage fromHeaders(Headers h, byte[] body) {
        try {
            var recipients = new ArrayList<Recipient>();
            for (Header header : h.headers(RCPT)) {
                recipients.add(parseRecipient(text(header)));
            }
            String id = required(h, ID);
            String sender = required(h, SENDER);
            String notBefore = optional(h, NOT_BEFORE);
            return new QueuedMessage(
                    id,
                    sender,
                    recipients,
                    Integer.parseInt(required(h, ATTEMPT)),
                    notBefore == null ? null : Instant.ofEpochMilli(Long.parseLong(notBefore)),
                    Instant.ofEpochMilli(Long.parseLong(required(h, FIRST_RECEIVED))),
                    optional(h, TENANT),
                    optional(h, CLIENT_IP),
                    optional(h, HELO),
                    optional(h, TLS),
                    optional(h, AUTH),
                    optional(h, ENVID),
                    optional(h, RET),
                    optional(h, BODY),
                    "1".equals(optional(h, SMTPUTF8)),
                    body == null ? new byte[0] : body);
        } catch (RuntimeException e) {
            throw new MalformedRecordException("cannot decode queued message: " + e.getMessage(), e);
        }
    }

    /** The id header alone, for logging a record that fails to decode. */
    public static String idOf(Headers h) {
        return optional(h, ID);
    }

    static String recipientJson(Recipient r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("addr", r.address());
        if (!r.notifyOn().isEmpty()) {
            ArrayNode n = o.putArray("notify");
            EnumSet.copyOf(r.notifyOn()).forEach(v -> n.add(v.name()));
        }
        if (r.orcpt() != null) {
            o.put("orcpt", r.orcpt());
        }
        if (r.lastReply() != null) {
            o.put("reply", r.lastReply());
        }
        if (r.lastMx() != null) {
            o.put("mx", r.lastMx());
        }
        return o.toString();
    }

    static Recipient parseRecipient(String json) {
        try {
            var o = JSON.readTree(json);
            var addr = o.get("addr");
            if (addr == null || !addr.isTextual()) {
                throw new IllegalArgumentException("recipient without addr: " + json);
            }
            var notify = EnumSet.noneOf(Recipient.Notify.class);
            var n = o.get("notify");
            if (n != null) {
                n.forEach(v -> notify.add(Recipient.Notify.valueOf(v.asText())));
            }
            return new Recipient(addr.asText(), notify, textOrNull(o.get("orcpt")), textOrNull(o.get("reply")),
                    textOrNull(o.get("mx")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String textOrNull(com.fasterxml.jackson.databind.JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static void put(Headers h, String key, String value) {
        if (value != null) {
            h.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String required(Headers h, String key) {
        String v = optional(h, key);
        if (v == null) {
            throw new IllegalArgumentException("missing header " + key);
        }
        return v;
    }

    private static String optional(Headers h, String key) {
        Header last = h.lastHeader(key);
        return last == null ? null : text(last);
    }

    private static String text(Header header) {
        return header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Convenience for tests and tools: every recipient address on the record. */
    public static List<String> recipientAddresses(Headers h) {
        var out = new ArrayList<String>();
        for (Header header : h.headers(RCPT)) {
            out.add(parseRecipient(text(header)).address());
        }
        return out;
    }
}
