package dev.tern.common.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.smtp.client.ReplyParser;
import dev.tern.smtp.dsn.Notify;
import dev.tern.smtp.dsn.OriginalRecipient;
import dev.tern.smtp.dsn.Ret;
import dev.tern.smtp.parse.BodyType;
import dev.tern.smtp.reply.Reply;
import dev.tern.smtp.server.TlsInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Maps a {@link QueuedMessage} to and from a Kafka record (docs/ARCHITECTURE.md, "Topics and records"),
 * and is the only place where the envelope's values become text and back.
 *
 * <p>Key: the queue id (spreads load evenly, keeps one message's records on one partition).
 * Value: the raw RFC 5322 message; compression (zstd) is the producer's job, per batch.
 * Headers: one per envelope field, {@code tern-*}, UTF-8 text, so {@code kafka-console-consumer
 * --property print.headers=true} shows a readable envelope; one {@code tern-rcpt} header per
 * recipient holding a small JSON object. Unknown headers are ignored, so fields can be added
 * without a flag day. A record whose required headers are missing or malformed decodes to a
 * {@link MalformedRecordException}, never to a half-filled message.
 *
 * <p>Compatibility: queued mail must survive an upgrade, so what was written once is read forever
 * (the fixtures under {@code queue-records-v1/} in the tests). Optional values that older writers
 * spelled differently or that cannot be parsed are read leniently: {@code BODY} as keyword
 * ({@code 8BITMIME}) or enum name ({@code EIGHT_BIT_MIME}, as ingress once wrote it); an ORCPT,
 * RET or last reply that does not parse is dropped, since each only adds detail to a DSN.
 */
public final class RecordCodec {

    public static final String ID = "tern-id";
    public static final String SENDER = "tern-sender";
    public static final String RCPT = "tern-rcpt";
    public static final String ATTEMPT = "tern-attempt";
    public static final String NOT_BEFORE = "tern-not-before";
    public static final String FIRST_RECEIVED = "tern-first-received";
    public static final String CLIENT_IP = "tern-client-ip";
    public static final String HELO = "tern-helo";
    public static final String TLS = "tern-tls";
    public static final String AUTH = "tern-auth";
    public static final String ENVID = "tern-envid";
    public static final String RET = "tern-ret";
    public static final String BODY = "tern-body";
    public static final String SMTPUTF8 = "tern-smtputf8";
    /** On {@link Topics#QUARANTINE} records only: why the message is held (UTF-8 text). */
    public static final String QUARANTINE_REASON = "tern-quarantine-reason";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordCodec() {
    }

    public static ProducerRecord<String, byte[]> toRecord(String topic, QueuedMessage m) {
        return new ProducerRecord<>(topic, null, m.id(), m.body(), headers(m));
    }

    public static Headers headers(QueuedMessage m) {
        var h = new RecordHeaders();
        QueuedEnvelope e = m.envelope();
        Schedule s = m.schedule();
        Provenance p = m.provenance();
        put(h, ID, m.id());
        put(h, SENDER, e.sender());
        for (QueuedRecipient r : e.recipients()) {
            put(h, RCPT, recipientJson(r));
        }
        put(h, ATTEMPT, Integer.toString(s.attempt()));
        if (s.notBefore() != null) {
            put(h, NOT_BEFORE, Long.toString(s.notBefore().toEpochMilli()));
        }
        put(h, FIRST_RECEIVED, Long.toString(s.firstReceived().toEpochMilli()));
        put(h, CLIENT_IP, p.clientIp());
        put(h, HELO, p.helo());
        put(h, TLS, p.tls() == null ? null : p.tls().protocol() + " " + p.tls().cipherSuite());
        put(h, AUTH, p.authIdentity());
        put(h, ENVID, e.envid());
        put(h, RET, e.ret() == null ? null : e.ret().name());
        put(h, BODY, e.bodyType() == null ? null : e.bodyType().keyword());
        if (e.smtputf8()) {
            put(h, SMTPUTF8, "1");
        }
        return h;
    }

    public static QueuedMessage fromRecord(ConsumerRecord<String, byte[]> record) {
        return fromHeaders(record.headers(), record.value());
    }

    public static QueuedMessage fromHeaders(Headers h, byte[] body) {
        try {
            var recipients = new ArrayList<QueuedRecipient>();
            for (Header header : h.headers(RCPT)) {
                recipients.add(parseRecipient(text(header)));
            }
            String id = required(h, ID);
            var envelope = new QueuedEnvelope(required(h, SENDER), recipients, optional(h, ENVID),
                    ret(optional(h, RET)), bodyType(optional(h, BODY)), "1".equals(optional(h, SMTPUTF8)));
            var provenance = new Provenance(optional(h, CLIENT_IP), optional(h, HELO), tls(optional(h, TLS)),
                    optional(h, AUTH));
            String notBefore = optional(h, NOT_BEFORE);
            var schedule = new Schedule(Integer.parseInt(required(h, ATTEMPT)),
                    notBefore == null ? null : Instant.ofEpochMilli(Long.parseLong(notBefore)),
                    Instant.ofEpochMilli(Long.parseLong(required(h, FIRST_RECEIVED))));
            return new QueuedMessage(id, envelope, provenance, schedule, body == null ? new byte[0] : body);
        } catch (RuntimeException e) {
            throw new MalformedRecordException("cannot decode queued message: " + e.getMessage(), e);
        }
    }

    /** The id header alone, for logging a record that fails to decode. */
    public static String idOf(Headers h) {
        return optional(h, ID);
    }

    static String recipientJson(QueuedRecipient r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("addr", r.address());
        if (!r.notifyOn().isEmpty()) {
            ArrayNode n = o.putArray("notify");
            EnumSet.copyOf(r.notifyOn()).forEach(v -> n.add(v.name()));
        }
        if (r.orcpt() != null) {
            o.put("orcpt", r.orcpt().toParameter());
        }
        if (r.lastReply() != null) {
            o.put("reply", r.lastReply().toString());
        }
        if (r.lastMx() != null) {
            o.put("mx", r.lastMx());
        }
        return o.toString();
    }

    static QueuedRecipient parseRecipient(String json) {
        try {
            var o = JSON.readTree(json);
            var addr = o.get("addr");
            if (addr == null || !addr.isTextual()) {
                throw new IllegalArgumentException("recipient without addr: " + json);
            }
            var notify = EnumSet.noneOf(Notify.class);
            var n = o.get("notify");
            if (n != null) {
                n.forEach(v -> notify.add(Notify.valueOf(v.asText())));
            }
            return new QueuedRecipient(addr.asText(), notify, orcpt(textOrNull(o.get("orcpt"))),
                    reply(textOrNull(o.get("reply"))), textOrNull(o.get("mx")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OriginalRecipient orcpt(String text) {
        try {
            return text == null ? null : OriginalRecipient.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A reply stored as {@code Reply.toString()}, read by the SMTP client's own parser (RFC 5321 §4.2). */
    private static Reply reply(String stored) {
        if (stored == null || stored.isBlank() || stored.indexOf('\n') >= 0 || stored.indexOf('\r') >= 0) {
            return null;
        }
        try {
            List<Reply> replies = new ReplyParser().feed((stored.strip() + "\r\n").getBytes(StandardCharsets.UTF_8));
            return replies.size() == 1 ? replies.get(0) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Ret ret(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.toUpperCase(Locale.ROOT)) {
            case "FULL" -> Ret.FULL;
            case "HDRS" -> Ret.HDRS;
            default -> null;
        };
    }

    private static BodyType bodyType(String text) {
        if (text == null) {
            return null;
        }
        BodyType byKeyword = BodyType.fromKeyword(text);
        if (byKeyword != null) {
            return byKeyword;
        }
        for (BodyType t : BodyType.values()) {
            if (t.name().equalsIgnoreCase(text)) {
                return t;
            }
        }
        return null;
    }

    private static TlsInfo tls(String text) {
        if (text == null) {
            return null;
        }
        int space = text.indexOf(' ');
        return space < 0 ? new TlsInfo(text, "") : new TlsInfo(text.substring(0, space), text.substring(space + 1));
    }

    private static String textOrNull(JsonNode n) {
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
