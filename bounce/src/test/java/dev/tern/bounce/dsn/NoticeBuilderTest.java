package dev.tern.bounce.dsn;

import static dev.tern.bounce.support.Messages.failedRecipient;
import static dev.tern.bounce.support.Messages.message;
import static dev.tern.bounce.support.Messages.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.queue.Provenance;
import dev.tern.common.queue.QueuedEnvelope;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.Schedule;
import dev.tern.smtp.dsn.Notify;
import dev.tern.smtp.dsn.OriginalRecipient;
import dev.tern.smtp.dsn.Ret;
import dev.tern.smtp.parse.BodyType;
import dev.tern.smtp.reply.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NoticeBuilderTest {

    private static final Instant RECEIVED = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final NoticeBuilder builder = new NoticeBuilder("mta.example.org", 1 << 20,
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static String text(QueuedMessage notice) {
        return new String(notice.body(), StandardCharsets.UTF_8);
    }

    private QueuedMessage failure(QueuedMessage m) {
        return builder.failure(m, NOW, "NOTICE1", r -> null).orElseThrow();
    }

    @Test
    void sendsTheFailureNoticeFromTheNullSenderToTheOriginalSender() {
        var notice = failure(message("M1", "alice@origin.test",
                List.of(failedRecipient("bob@remote.test", "550 5.1.1 no such user", "mx1.remote.test")),
                RECEIVED, null, null, "m1"));

        assertThat(notice.id()).isEqualTo("NOTICE1");
        assertThat(notice.sender()).isEmpty();
        assertThat(notice.recipients()).extracting(QueuedRecipient::address).containsExactly("alice@origin.test");
        assertThat(notice.schedule().firstReceived()).isEqualTo(NOW);
        assertThat(notice.schedule().attempt()).isZero();
        assertThat(notice.envelope().bodyType()).isNull();
        assertThat(notice.envelope().smtputf8()).isFalse();
        assertThat(text(notice))
                .contains("From: Mail Delivery System <MAILER-DAEMON@mta.example.org>\r\n")
                .contains("To: alice@origin.test")
                .contains("report-type=delivery-status");
    }

    @Test
    void reportsStatusDiagnosticRemoteMtaAndEnvelopeFields() {
        var m = new QueuedMessage("M2", new QueuedEnvelope("alice@origin.test",
                List.of(new QueuedRecipient("bob@remote.test", Set.of(), OriginalRecipient.rfc822("Bob+1@remote.test"),
                        Reply.of(550, "5.1.1", "no such user"), "mx1.remote.test")), "ENV-42", null, null, false),
                Provenance.NONE, new Schedule(1, null, RECEIVED), dev.tern.bounce.support.Messages.body("m2"));

        assertThat(text(failure(m)))
                .contains("Original-Envelope-Id: ENV-42\r\n")
                .contains("Reporting-MTA: dns; mta.example.org\r\n")
                .contains("Arrival-Date: Sun, 1 Mar 2026 10:00:00 +0000\r\n")
                .contains("Original-Recipient: rfc822; Bob+1@remote.test\r\n")
                .contains("Final-Recipient: rfc822; bob@remote.test\r\n")
                .contains("Action: failed\r\n")
                .contains("Status: 5.1.1\r\n")
                .contains("Remote-MTA: dns; mx1.remote.test\r\n")
                .contains("Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n");
    }

    @Test
    void coversEveryRecipientThatWantsAFailureNoticeAndNoOther() {
        var m = message("M3", "alice@origin.test", List.of(
                recipient("default@remote.test", Set.of(), "550 5.1.1 unknown"),
                recipient("failure@remote.test", Set.of(Notify.FAILURE, Notify.DELAY), "552 5.2.2 mailbox full"),
                recipient("never@remote.test", Set.of(Notify.NEVER), "550 5.1.1 unknown"),
                recipient("success@remote.test", Set.of(Notify.SUCCESS), "550 5.1.1 unknown")),
                RECEIVED, null, null, "m3");

        String dsn = text(failure(m));

        assertThat(dsn).contains("Final-Recipient: rfc822; default@remote.test")
                .contains("Final-Recipient: rfc822; failure@remote.test")
                .contains("Status: 5.2.2")
                .doesNotContain("never@remote.test")
                .doesNotContain("success@remote.test");
    }

    @Test
    void sendsNothingWhenEveryRecipientSaidNotifyNever() {
        var m = message("M4", "alice@origin.test",
                List.of(recipient("never@remote.test", Set.of(Notify.NEVER), "550 5.1.1 unknown")),
                RECEIVED, null, null, "m4");

        assertThat(builder.failure(m, NOW, "N", r -> null)).isEmpty();
    }

    @Test
    void neverBouncesAMessageFromTheNullSender() {
        var m = message("M5", "", List.of(failedRecipient("bob@remote.test", "550 5.1.1 no", null)),
                RECEIVED, null, null, "m5");

        assertThat(builder.failure(m, NOW, "N", r -> null)).isEmpty();
        assertThat(builder.delay(m, NOW, NOW, "N")).isEmpty();
    }

    @Test
    void returnsTheFullMessageUnlessRetIsHdrs() {
        var recipients = List.of(failedRecipient("bob@remote.test", "550 5.1.1 no", null));

        String full = text(failure(message("M6", "a@o.test", recipients, RECEIVED, null, null, "full-one")));
        String hdrs = text(failure(message("M7", "a@o.test", recipients, RECEIVED, null, Ret.HDRS, "hdrs-one")));

        assertThat(full).contains("Content-Type: message/rfc822").contains("body of full-one");
        assertThat(hdrs).contains("Content-Type: text/rfc822-headers").contains("Subject: hello hdrs-one")
                .doesNotContain("body of hdrs-one");
    }

    @Test
    void reportsExpiryWithTheStatusDeliveryWrote() {
        var m = message("M8", "a@o.test", List.of(failedRecipient("bob@remote.test",
                "451 4.4.7 Message expired after 5d in the queue; last error: 421 4.7.0 try later", "mx.remote.test")),
                RECEIVED, null, null, "m8");

        assertThat(text(failure(m))).contains("Action: failed\r\n").contains("Status: 4.4.7\r\n")
                .contains("Diagnostic-Code: smtp; 451 4.4.7 Message expired");
    }

    @Test
    void fallsBackToFiveZeroZeroWithoutAUsableReply() {
        var m = message("M9", "a@o.test", List.of(failedRecipient("x@remote.test", null, null),
                failedRecipient("y@remote.test", "not a reply at all", null),
                failedRecipient("z@remote.test", "550 rejected", null)), RECEIVED, null, null, "m9");

        String dsn = text(failure(m));

        assertThat(dsn).doesNotContain("Status: 2.").doesNotContain("Diagnostic-Code: smtp; not a reply");
        assertThat(dsn.split("Status: 5.0.0", -1)).hasSize(4);
        assertThat(dsn).contains("Diagnostic-Code: smtp; 550 rejected");
    }

    @Test
    void delayNoticeSaysDelayedUntilExpiryAndReturnsOnlyHeaders() {
        Instant until = RECEIVED.plus(java.time.Duration.ofDays(5));
        var m = message("M10", "a@o.test", List.of(
                recipient("slow@remote.test", Set.of(), "421 4.7.0 try again later"),
                recipient("asked@remote.test", Set.of(Notify.DELAY), "450 4.2.0 busy"),
                recipient("failonly@remote.test", Set.of(Notify.FAILURE), "450 4.2.0 busy")),
                RECEIVED, NOW.plusSeconds(3600), null, "m10");

        String dsn = text(builder.delay(m, NOW, until, "D1").orElseThrow());

        assertThat(dsn).contains("Final-Recipient: rfc822; slow@remote.test")
                .contains("Final-Recipient: rfc822; asked@remote.test")
                .doesNotContain("failonly@remote.test")
                .contains("Action: delayed\r\n")
                .contains("Status: 4.7.0\r\n")
                .contains("Will-Retry-Until: Fri, 6 Mar 2026 10:00:00 +0000\r\n")
                .contains("Content-Type: text/rfc822-headers")
                .doesNotContain("body of m10");
    }

    @Test
    void marksEightBitNoticesForBody8bitmime() {
        byte[] eightBit = "Subject: caf\u00e9\r\n\r\nd\u00e9j\u00e0 vu\r\n".getBytes(StandardCharsets.ISO_8859_1);
        var m = new QueuedMessage("M11", new QueuedEnvelope("a@o.test",
                List.of(failedRecipient("b@remote.test", "550 5.1.1 no", null)), null, null, BodyType.EIGHT_BIT_MIME,
                false), Provenance.NONE, new Schedule(1, null, RECEIVED), eightBit);

        assertThat(failure(m).envelope().bodyType()).isEqualTo(BodyType.EIGHT_BIT_MIME);
    }

    @Test
    void derivesTheSameIdFromTheSameSeedAndDifferentOnesOtherwise() {
        Instant t = Instant.parse("2026-03-01T12:00:00Z");

        assertThat(NoticeIds.of(t, "a")).hasSize(26).isEqualTo(NoticeIds.of(t, "a"))
                .isNotEqualTo(NoticeIds.of(t, "b"));
        assertThat(NoticeIds.of(t, "a")).matches("[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(NoticeIds.of(t, "a").substring(0, 10)).isLessThan(NoticeIds.of(t.plusMillis(1), "a").substring(0, 10));
    }
}
