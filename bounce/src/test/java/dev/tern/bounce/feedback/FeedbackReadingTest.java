package dev.tern.bounce.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.bounce.feedback.FeedbackFinding.Kind;
import dev.tern.common.policy.Feedback;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedbackReadingTest {

    private static final String ID = "01JEAXK3Q5ZV8M2R7T9W4Y6B1C";
    private static final Feedback FEEDBACK = new Feedback(true, "bounce.example.org", "bounce");

    @Test
    void aHardBouncingDsnAtAVerpAddressSuppressesTheRecipientWeSentTo() {
        var findings = FeedbackReading.read(List.of("bounce+" + ID + "+nobody=example.net@bounce.example.org"),
                Samples.crlf("postfix-user-unknown.eml"), FEEDBACK);
        assertThat(findings).containsExactly(new FeedbackFinding(Kind.DSN_FAILED, ID, "nobody@example.net", 550,
                "5.1.1 unknown user: \"nobody\" (reported by mx.example.net)", true));
    }

    @Test
    void aFailedRecipientIsSuppressedWhenItsReplyClassifiesAsInvalidAndDelayedOnesAreEventsOnly() {
        // arathib: "not a registered gateway user" is not recognisably an invalid recipient; wsnell: "550 user unknown" is,
        // by the bounce classification's wording rules, as it would be for a synchronous reply.
        var findings = FeedbackReading.read(List.of("bounce+" + ID + "@bounce.example.org"),
                Samples.bytes("rfc3464-b2-multi.eml"), FEEDBACK);
        assertThat(findings).extracting(FeedbackFinding::kind, FeedbackFinding::recipient, FeedbackFinding::suppress,
                FeedbackFinding::queueId).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Kind.DSN_FAILED, "arathib@vnet.ibm.com", false, ID),
                        org.assertj.core.groups.Tuple.tuple(Kind.DSN_DELAYED, "johnh@hpnjld.njd.hp.com", false, ID),
                        org.assertj.core.groups.Tuple.tuple(Kind.DSN_FAILED, "wsnell@sdcc13.ucsd.edu", true, ID));
    }

    @Test
    void aMultiRecipientDsnNamesItsRecipientsEvenAtAFullVerpAddress() {
        var findings = FeedbackReading.read(List.of("bounce+" + ID + "+x=example.net@bounce.example.org"),
                Samples.bytes("rfc3464-b2-multi.eml"), FEEDBACK);
        assertThat(findings).extracting(FeedbackFinding::recipient)
                .containsExactly("arathib@vnet.ibm.com", "johnh@hpnjld.njd.hp.com", "wsnell@sdcc13.ucsd.edu");
    }

    @Test
    void aComplaintAtAVerpAddressSuppressesTheVerpRecipient() {
        var findings = FeedbackReading.read(List.of("bounce+" + ID + "+user=example.com@bounce.example.org"),
                Samples.crlf("rfc5965-b2-full.eml"), FEEDBACK);
        assertThat(findings).containsExactly(new FeedbackFinding(Kind.COMPLAINT, ID, "user@example.com", 0,
                "complaint: Feedback-Type abuse from SomeGenerator/1.0", true));
    }

    @Test
    void aRedactedComplaintAtTheFixedLoopAddressIsTracedThroughTheReturnPath() {
        var findings = FeedbackReading.read(List.of("fbl@bounce.example.org"),
                Samples.bytes("fbl-redacted-verp-return-path.eml"), FEEDBACK);
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.recipient()).isEqualTo("carol@example.net");
            assertThat(f.queueId()).isEqualTo(ID);
        });
    }

    @Test
    void aComplaintWithoutVerpFallsBackToOriginalRcptTo() {
        var findings = FeedbackReading.read(List.of("fbl@bounce.example.org"), Samples.bytes("rfc5965-b2-full.eml"),
                FEEDBACK);
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.recipient()).isEqualTo("user@example.com");
            assertThat(f.queueId()).isNull();
        });
    }

    @Test
    void aComplaintNamingNobodyIsUnparsable() {
        assertThatThrownBy(() -> FeedbackReading.read(List.of("fbl@bounce.example.org"),
                Samples.bytes("rfc5965-b1-minimal.eml"), FEEDBACK)).isInstanceOf(UnparsableReportException.class)
                .hasMessageContaining("names no recipient");
    }

    @Test
    void authFailureReportsGiveNoFinding() {
        assertThat(FeedbackReading.read(List.of("ruf@bounce.example.org"), Samples.bytes("dmarc-auth-failure.eml"),
                FEEDBACK)).isEmpty();
    }

    @Test
    void plainMailIsUnparsable() {
        byte[] mail = "From: a@b.example\r\nSubject: out of office\r\n\r\nI am away.\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> FeedbackReading.read(List.of("fbl@bounce.example.org"), mail, FEEDBACK))
                .isInstanceOf(UnparsableReportException.class).hasMessageContaining("text/plain");
    }
}
