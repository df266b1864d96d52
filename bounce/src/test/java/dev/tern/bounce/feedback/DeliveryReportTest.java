package dev.tern.bounce.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.bounce.feedback.DeliveryReport.Action;
import dev.tern.smtp.reply.EnhancedStatus;
import dev.tern.smtp.reply.Reply;
import org.junit.jupiter.api.Test;

class DeliveryReportTest {

    @Test
    void readsTheSimpleDsnOfRfc3464AppendixB1() {
        DeliveryReport r = DeliveryReport.parse(Samples.part("rfc3464-b1-simple.eml"));
        assertThat(r.reportingMta()).isEqualTo("cs.utk.edu");
        assertThat(r.recipients()).containsExactly(new DeliveryReport.Recipient("louisl@larry.slip.umd.edu",
                "louisl@larry.slip.umd.edu", Action.FAILED, new EnhancedStatus(4, 0, 0), "426 connection timed out"));
        // A failure after five days of 4xx: the reply keeps the diagnostic's own transient code.
        assertThat(r.recipients().get(0).reply()).isEqualTo(Reply.of(426, "4.0.0", "connection timed out"));
    }

    @Test
    void readsEveryGroupOfTheMultiRecipientDsnOfRfc3464AppendixB2() {
        DeliveryReport r = DeliveryReport.parse(MimePart.parse(Samples.crlf("rfc3464-b2-multi.eml")));
        assertThat(r.recipients()).extracting(DeliveryReport.Recipient::recipient, DeliveryReport.Recipient::action)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("arathib@vnet.ibm.com", Action.FAILED),
                        org.assertj.core.groups.Tuple.tuple("johnh@hpnjld.njd.hp.com", Action.DELAYED),
                        org.assertj.core.groups.Tuple.tuple("wsnell@sdcc13.ucsd.edu", Action.FAILED));
        // Comments after the status are dropped, a folded diagnostic is unfolded.
        assertThat(r.recipients().get(0).status()).isEqualTo(new EnhancedStatus(5, 0, 0));
        assertThat(r.recipients().get(0).reply())
                .isEqualTo(Reply.of(550, "5.0.0", "'arathib@vnet.IBM.COM' is not a registered gateway user"));
        assertThat(r.recipients().get(1).reply()).isEqualTo(Reply.of(450, "4.0.0", "reported by DSN"));
        assertThat(r.single()).isEmpty();
    }

    @Test
    void readsAPostfixBounceWithANonSmtpDiagnostic() {
        DeliveryReport r = DeliveryReport.parse(Samples.part("postfix-user-unknown.eml"));
        DeliveryReport.Recipient only = r.single().orElseThrow();
        assertThat(only.finalRecipient()).isEqualTo("nobody@mailhost.example.net");
        assertThat(only.recipient()).isEqualTo("nobody@example.net");
        assertThat(only.reply()).isEqualTo(Reply.of(550, "5.1.1", "unknown user: \"nobody\""));
    }

    @Test
    void aComplaintIsNotADsn() {
        assertThatThrownBy(() -> DeliveryReport.parse(Samples.part("rfc5965-b2-full.eml")))
                .isInstanceOf(UnparsableReportException.class).hasMessageContaining("delivery-status");
    }

    @Test
    void aGroupWithoutStatusIsUnparsable() {
        String dsn = """
                Content-Type: multipart/report; report-type=delivery-status; boundary=b

                --b
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.net

                Final-Recipient: rfc822; a@example.net
                Action: failed

                --b--
                """;
        assertThatThrownBy(() -> DeliveryReport.parse(MimePart.parse(dsn)))
                .isInstanceOf(UnparsableReportException.class).hasMessageContaining("Status");
    }
}
