package dev.tern.common.queue;

import dev.tern.smtp.dsn.Notify;
import dev.tern.smtp.dsn.OriginalRecipient;
import dev.tern.smtp.dsn.Ret;
import dev.tern.smtp.parse.BodyType;
import dev.tern.smtp.reply.Reply;
import dev.tern.smtp.server.TlsInfo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The messages whose records, as the first wire format ({@code queue-records-v1}, written by the
 * string-typed codec of commit a3bebfa) encoded them, are kept as golden fixtures: every optional field set and unset, the NOTIFY combinations, ORCPT
 * with xtext, RET, both spellings of BODY that were written (ingress wrote the enum name, the
 * bounce service the keyword), last replies with and without an enhanced code, a retry schedule,
 * the null sender and SMTPUTF8.
 */
final class V1Samples {

    static final Instant RECEIVED = Instant.ofEpochMilli(1_700_000_000_000L);

    private V1Samples() {
    }

    static Map<String, QueuedMessage> all() {
        var out = new LinkedHashMap<String, QueuedMessage>();
        out.put("everything-set", message("Q0001", new QueuedEnvelope("sender@example.com", List.of(
                new QueuedRecipient("a@example.org", EnumSet.of(Notify.SUCCESS, Notify.FAILURE),
                        OriginalRecipient.rfc822("a@example.org"), null, null),
                new QueuedRecipient("Ünïcode@exämple.org", null, null, Reply.of(451, "4.7.1", "try later"),
                        "mx1.exämple.org")), "env-1", Ret.HDRS, BodyType.EIGHT_BIT_MIME, true),
                new Provenance("192.0.2.7", "client.example", new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256"),
                        "alice"),
                new Schedule(2, Instant.ofEpochMilli(1_700_000_060_000L), RECEIVED), body("Subject: hi\r\n\r\nbody\r\n")));
        out.put("minimal", message("Q0002", QueuedEnvelope.of("s@example.com", List.of(QueuedRecipient.of("x@example.net"))),
                Provenance.NONE, Schedule.firstAttempt(RECEIVED), new byte[0]));
        out.put("ingress-8bit", message("Q0003", new QueuedEnvelope("bob@example.com", List.of(
                new QueuedRecipient("never@example.org", Set.of(Notify.NEVER), OriginalRecipient.rfc822("a+b@example.org"),
                        null, null),
                new QueuedRecipient("delay@example.org", Set.of(Notify.DELAY), null, null, null),
                new QueuedRecipient("all@example.org", EnumSet.of(Notify.SUCCESS, Notify.FAILURE, Notify.DELAY),
                        OriginalRecipient.rfc822("all@example.org"), null, null)),
                "ENV+20id", Ret.FULL, BodyType.EIGHT_BIT_MIME, false),
                new Provenance("2001:db8::1", "[2001:db8::1]", new TlsInfo("TLSv1.2",
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"), null),
                Schedule.firstAttempt(RECEIVED), body("Subject: caf\u00e9\r\n\r\n8 bit\r\n")));
        out.put("ingress-7bit", message("Q0004", new QueuedEnvelope("bob@example.com", List.of(
                new QueuedRecipient("postmaster", Set.of(Notify.FAILURE), null, null, null)),
                null, null, BodyType.SEVEN_BIT, false),
                new Provenance("203.0.113.9", "mail.example.com", null, "bob@example.com"),
                Schedule.firstAttempt(RECEIVED), body("Subject: plain\r\n\r\nx\r\n")));
        out.put("binary", message("Q0005", new QueuedEnvelope("b@example.com", List.of(QueuedRecipient.of("r@example.org")),
                null, null, BodyType.BINARY_MIME, false), new Provenance("192.0.2.1", "h", null, null),
                Schedule.firstAttempt(RECEIVED), new byte[] {0, 1, 2, (byte) 0xff, '\r', '\n'}));
        out.put("retry", message("Q0006", QueuedEnvelope.of("sender@example.com", List.of(
                new QueuedRecipient("t@backoff.test", null, null,
                        Reply.of(451, "4.7.0", "Throttled: backoff.test backs off for 5s"), "mx.backoff.test"),
                new QueuedRecipient("n@plain.test", Set.of(Notify.DELAY, Notify.FAILURE), null,
                        Reply.of(421, "Service not available, closing transmission channel"), "mx.plain.test"),
                new QueuedRecipient("u@unreachable.test", null, null, Reply.of(451, "4.4.1", "Connection refused"),
                        null))),
                new Provenance("192.0.2.7", "client.example", null, null),
                new Schedule(3, Instant.ofEpochMilli(1_700_003_600_000L), RECEIVED), body("Subject: retry\r\n\r\nagain\r\n")));
        out.put("failed", message("Q0007", new QueuedEnvelope("sender@example.com", List.of(
                new QueuedRecipient("gone@example.org", null, OriginalRecipient.rfc822("Gone@Example.org"),
                        Reply.of(550, "5.1.1", "no such user"), "mx1.example.org"),
                new QueuedRecipient("old@example.org", Set.of(Notify.FAILURE), null, Reply.of(451, "4.4.7",
                        "Message expired after 5d in the queue; last error: 451 4.3.0 busy"), null)),
                "env-7", Ret.HDRS, null, false),
                new Provenance("192.0.2.7", "client.example", null, "alice"),
                new Schedule(1, null, RECEIVED), body("Subject: failed\r\n\r\nno\r\n")));
        out.put("bounce-notice", message("Q0008", new QueuedEnvelope("", List.of(QueuedRecipient.of("sender@example.com")),
                null, null, BodyType.EIGHT_BIT_MIME, true), Provenance.local("bounce.tern.example"),
                Schedule.firstAttempt(RECEIVED), body("From: MAILER-DAEMON@bounce.tern.example\r\n\r\ndsn\r\n")));
        return out;
    }

    private static QueuedMessage message(String id, QueuedEnvelope e, Provenance p, Schedule s, byte[] body) {
        return new QueuedMessage(id, e, p, s, body);
    }

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
