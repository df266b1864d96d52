package dev.tern.common.queue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The messages whose records, as the first wire format ({@code queue-records-v1}) encoded them,
 * are kept as golden fixtures: every optional field set and unset, the NOTIFY combinations, ORCPT
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
        out.put("everything-set", new QueuedMessage("Q0001", "sender@example.com", List.of(
                new Recipient("a@example.org", EnumSet.of(Recipient.Notify.SUCCESS, Recipient.Notify.FAILURE),
                        "rfc822;a@example.org", null, null),
                new Recipient("Ünïcode@exämple.org", null, null, "451 4.7.1 try later", "mx1.exämple.org")),
                2, Instant.ofEpochMilli(1_700_000_060_000L), RECEIVED, null, "192.0.2.7", "client.example",
                "TLSv1.3 TLS_AES_128_GCM_SHA256", "alice", "env-1", "HDRS", "8BITMIME", true,
                body("Subject: hi\r\n\r\nbody\r\n")));
        out.put("minimal", new QueuedMessage("Q0002", "s@example.com", List.of(Recipient.of("x@example.net")), 0,
                null, RECEIVED, null, null, null, null, null, null, null, null, false, new byte[0]));
        out.put("ingress-8bit", new QueuedMessage("Q0003", "bob@example.com", List.of(
                new Recipient("never@example.org", Set.of(Recipient.Notify.NEVER), "rfc822;a+2Bb@example.org", null,
                        null),
                new Recipient("delay@example.org", Set.of(Recipient.Notify.DELAY), null, null, null),
                new Recipient("all@example.org", EnumSet.of(Recipient.Notify.SUCCESS, Recipient.Notify.FAILURE,
                        Recipient.Notify.DELAY), "rfc822;all@example.org", null, null)),
                0, null, RECEIVED, null, "2001:db8::1", "[2001:db8::1]", "TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                null, "ENV+20id", "FULL", "EIGHT_BIT_MIME", false, body("Subject: caf\u00e9\r\n\r\n8 bit\r\n")));
        out.put("ingress-7bit", new QueuedMessage("Q0004", "bob@example.com", List.of(
                new Recipient("postmaster", Set.of(Recipient.Notify.FAILURE), null, null, null)),
                0, null, RECEIVED, null, "203.0.113.9", "mail.example.com", null, "bob@example.com", null, null,
                "SEVEN_BIT", false, body("Subject: plain\r\n\r\nx\r\n")));
        out.put("binary", new QueuedMessage("Q0005", "b@example.com", List.of(Recipient.of("r@example.org")), 0, null,
                RECEIVED, null, "192.0.2.1", "h", null, null, null, null, "BINARY_MIME", false,
                new byte[] {0, 1, 2, (byte) 0xff, '\r', '\n'}));
        out.put("retry", new QueuedMessage("Q0006", "sender@example.com", List.of(
                new Recipient("t@backoff.test", null, null, "451 4.7.0 Throttled: backoff.test backs off for 5s",
                        "mx.backoff.test"),
                new Recipient("n@plain.test", Set.of(Recipient.Notify.DELAY, Recipient.Notify.FAILURE), null,
                        "421 Service not available, closing transmission channel", "mx.plain.test"),
                new Recipient("u@unreachable.test", null, null, "451 4.4.1 Connection refused", null)),
                3, Instant.ofEpochMilli(1_700_003_600_000L), RECEIVED, null, "192.0.2.7", "client.example", null,
                null, null, null, null, false, body("Subject: retry\r\n\r\nagain\r\n")));
        out.put("failed", new QueuedMessage("Q0007", "sender@example.com", List.of(
                new Recipient("gone@example.org", null, "rfc822;Gone@Example.org", "550 5.1.1 no such user",
                        "mx1.example.org"),
                new Recipient("old@example.org", Set.of(Recipient.Notify.FAILURE), null,
                        "451 4.4.7 Message expired after 5d in the queue; last error: 451 4.3.0 busy", null)),
                1, null, RECEIVED, null, "192.0.2.7", "client.example", null, "alice", "env-7", "HDRS", null, false,
                body("Subject: failed\r\n\r\nno\r\n")));
        out.put("bounce-notice", new QueuedMessage("Q0008", "", List.of(Recipient.of("sender@example.com")), 0, null,
                RECEIVED, null, null, "bounce.tern.example", null, null, null, null, "8BITMIME", true,
                body("From: MAILER-DAEMON@bounce.tern.example\r\n\r\ndsn\r\n")));
        return out;
    }

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
