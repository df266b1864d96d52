package dev.tern.smtp.dsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.smtp.client.GoldenFiles;
import dev.tern.smtp.reply.Reply;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * DSN rendering against golden files {@code dsn/<case>.ref}, with a fixed clock, boundary and
 * Message-ID. Original messages come from {@code dsn/<original>.in}.
 */
class DsnRenderingTest {

    private static final Instant NOW = Instant.parse("2024-01-02T03:04:05Z");
    private static final Instant ARRIVED = Instant.parse("2024-01-01T09:00:01Z");

    private static DeliveryStatusNotification.Builder dsn(String original) {
        return DeliveryStatusNotification.builder()
                .reportingMta("mx1.tern.example")
                .originalSender("sender@example.org")
                .arrivalDate(ARRIVED)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .boundary(() -> "=_fixed")
                .messageId("dsn-1@mx1.tern.example")
                .originalMessage(original == null ? null : GoldenFiles.readBytes("dsn/" + original + ".in"));
    }

    private static RecipientReport failedUnknownUser() {
        return RecipientReport.of("nobody@example.net", DsnAction.FAILED,
                        Reply.of(550, "5.1.1", "<nobody@example.net>: Recipient address rejected: User unknown"))
                .withOriginalRecipient(OriginalRecipient.rfc822("Nobody@Example.NET"))
                .withRemoteMta("mx.example.net")
                .withLastAttempt(NOW.minusSeconds(5));
    }

    private static void golden(String name, DeliveryStatusNotification dsn) {
        byte[] bytes = dsn.toBytes();
        assertWellFormed(bytes);
        GoldenFiles.assertMatches("dsn/" + name + ".ref", bytes);
    }

    // Every line CRLF-terminated and at most 998 octets (RFC 5322 §2.1.1), no bare CR or LF.
    private static void assertWellFormed(byte[] bytes) {
        int lineLength = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\r') {
                assertThat(i + 1 < bytes.length && bytes[i + 1] == '\n').as("bare CR at %d", i).isTrue();
                assertThat(lineLength).as("line ending at %d", i).isLessThanOrEqualTo(998);
                lineLength = 0;
                i++;
            } else {
                assertThat(bytes[i]).as("bare LF at %d", i).isNotEqualTo((byte) '\n');
                lineLength++;
            }
        }
        assertThat(lineLength).as("final line is CRLF-terminated").isZero();
    }

    @Test
    void returnsFullOriginalForFailureByDefault() {
        DeliveryStatusNotification dsn = dsn("plain-message").envelopeId("QQ314159").recipient(failedUnknownUser()).build();
        golden("failed-full", dsn);
        assertThat(dsn.isEightBit()).isFalse();
        assertThat(dsn.needsSmtpUtf8()).isFalse();
    }

    @Test
    void returnsOnlyHeadersWhenSenderAskedRetHdrs() {
        golden("failed-hdrs", dsn("plain-message").ret(Ret.HDRS).recipient(failedUnknownUser()).build());
    }

    @Test
    void returnsOnlyHeadersWhenOriginalExceedsCap() {
        golden("failed-too-large", dsn("plain-message").maxReturnedSize(100).recipient(failedUnknownUser()).build());
    }

    @Test
    void reportsDelayWithRetryDeadlineAndHeadersOnly() {
        RecipientReport delayed = RecipientReport.of("carol@example.net", DsnAction.DELAYED,
                        Reply.of(451, "4.7.1", "Greylisted, please try again later"))
                .withRemoteMta("mx.example.net")
                .withLastAttempt(NOW.minusSeconds(60))
                .withWillRetryUntil(ARRIVED.plusSeconds(5 * 24 * 3600));
        golden("delayed", dsn("plain-message").recipient(delayed).build());
    }

    @Test
    void combinesFailedAndDelayedRecipientsInOneReport() {
        RecipientReport delayed = RecipientReport.of("carol@example.net", DsnAction.DELAYED,
                        new Reply(421, null, List.of("mx.example.net Service not available")))
                .withRemoteMta("mx.example.net")
                .withWillRetryUntil(ARRIVED.plusSeconds(5 * 24 * 3600));
        golden("failed-and-delayed", dsn("plain-message").recipient(failedUnknownUser()).recipient(delayed).build());
    }

    @Test
    void reportsLocalFailureWithoutRemoteMta() {
        RecipientReport local = RecipientReport.of("alice@example.net", DsnAction.FAILED,
                Reply.of(552, "5.3.4", "Message size 2000 exceeds the remote server's limit of 1000 octets"));
        golden("failed-local", dsn(null).recipient(local).build());
    }

    @Test
    void foldsLongDiagnosticCodes() {
        Reply reply = Reply.multiline(550, "5.7.1", List.of(
                "Message rejected due to local policy; see https://postmaster.example.net/policy/rejections/"
                        + "x".repeat(1100) + " for details",
                "Please contact your administrator if you believe this is an error and quote reference ABCDEF0123456789"));
        RecipientReport r = RecipientReport.of("nobody@example.net", DsnAction.FAILED, reply).withRemoteMta("mx.example.net");
        golden("long-diagnostic", dsn(null).recipient(r).build());
    }

    @Test
    void declaresEightBitBodyWithoutGlobalTypes() {
        DeliveryStatusNotification dsn = dsn("eight-bit-body").recipient(failedUnknownUser()).build();
        golden("eight-bit-body", dsn);
        assertThat(dsn.isEightBit()).isTrue();
        assertThat(dsn.needsSmtpUtf8()).isFalse();
    }

    @Test
    void returnsMessageGlobalWhenOriginalHeadersAreUtf8() {
        DeliveryStatusNotification dsn = dsn("utf8-headers").recipient(failedUnknownUser()).build();
        golden("utf8-headers", dsn);
        assertThat(dsn.needsSmtpUtf8()).isTrue();
    }

    @Test
    void usesGlobalDeliveryStatusForUtf8Recipient() {
        RecipientReport r = RecipientReport.of("jörg@example.net", DsnAction.FAILED, Reply.of(550, "5.1.1", "Unbekannter Empfänger"))
                .withRemoteMta("mx.example.net");
        DeliveryStatusNotification dsn = dsn("utf8-headers").ret(Ret.HDRS).recipient(r).build();
        golden("utf8-recipient", dsn);
        assertThat(dsn.isEightBit()).isTrue();
    }

    @Test
    void replacesNonAsciiReplyTextInSevenBitReport() {
        RecipientReport r = RecipientReport.of("nobody@example.net", DsnAction.FAILED, Reply.of(550, "5.1.1", "Empfänger unbekannt"));
        String text = new String(dsn(null).recipient(r).build().toBytes(), StandardCharsets.UTF_8);
        assertThat(text).contains("Diagnostic-Code: smtp; 550 5.1.1 Empf?nger unbekannt").doesNotContain("ä");
    }

    @Test
    void changesBoundaryThatOccursInTheOriginal() {
        golden("boundary-collision", dsn("boundary-collision").recipient(failedUnknownUser()).build());
    }

    @Test
    void normalisesBareLineEndingsOfTheOriginal() {
        golden("bare-lf-original", dsn("bare-lf-message").recipient(failedUnknownUser()).build());
    }

    @Test
    void reportsRelayedSuccessWithHeadersOnly() {
        RecipientReport relayed = RecipientReport.of("alice@example.net", DsnAction.RELAYED, Reply.of(250, "2.0.0", "Ok: queued as 4FJ2x"))
                .withOriginalRecipient(OriginalRecipient.rfc822("alice@example.net"))
                .withRemoteMta("mx.example.net");
        golden("relayed", dsn("plain-message").envelopeId("QQ 314+159").recipient(relayed).build());
    }

    @Test
    void refusesToAddressNullSender() {
        assertThatThrownBy(() -> dsn(null).originalSender("").recipient(failedUnknownUser()).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesWillRetryUntilOnFailedRecipient() {
        assertThatThrownBy(() -> failedUnknownUser().withWillRetryUntil(NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void derivesStatusFromReplyClassWhenReplyHasNoEnhancedCode() {
        assertThat(RecipientReport.of("a@b", DsnAction.FAILED, Reply.of(550, "No such user")).status()).hasToString("5.0.0");
        assertThat(RecipientReport.of("a@b", DsnAction.DELAYED, Reply.of(451, "later")).status()).hasToString("4.0.0");
    }

    @Test
    void generatesDistinctBoundariesAndMessageIdsByDefault() {
        var builder = DeliveryStatusNotification.builder().reportingMta("mx1.tern.example").originalSender("s@example.org")
                .recipient(failedUnknownUser());
        String a = new String(builder.build().toBytes(), StandardCharsets.US_ASCII);
        String b = new String(builder.build().toBytes(), StandardCharsets.US_ASCII);
        assertThat(a.lines().filter(l -> l.startsWith("Message-ID:")).findFirst())
                .isNotEqualTo(b.lines().filter(l -> l.startsWith("Message-ID:")).findFirst());
        assertThat(a).containsPattern("boundary=\"=_tern_[0-9a-f]{32}\"");
    }
}
