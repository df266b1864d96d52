package dev.tern.bounce.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComplaintReportTest {

    @Test
    void readsTheFullAbuseReportOfRfc5965AppendixB2() {
        ComplaintReport r = ComplaintReport.parse(MimePart.parse(Samples.crlf("rfc5965-b2-full.eml")));
        assertThat(r.feedbackType()).isEqualTo("abuse");
        assertThat(r.isComplaint()).isTrue();
        assertThat(r.userAgent()).isEqualTo("SomeGenerator/1.0");
        assertThat(r.originalMailFrom()).isEqualTo("somespammer@example.net");
        assertThat(r.originalRcptTo()).containsExactly("user@example.com");
        assertThat(r.namedRecipients()).containsExactly("user@example.com");
        assertThat(r.originalHeaders()).get().satisfies(h ->
                assertThat(h.header("Message-ID")).contains("8787KJKJ3K4J3K4J3K4J3.mail@example.net"));
    }

    @Test
    void theMinimalReportOfRfc5965AppendixB1NamesNoRecipient() {
        ComplaintReport r = ComplaintReport.parse(Samples.part("rfc5965-b1-minimal.eml"));
        assertThat(r.feedbackType()).isEqualTo("abuse");
        assertThat(r.originalRcptTo()).isEmpty();
        // "To: <Undisclosed Recipients>" is not an address.
        assertThat(r.namedRecipients()).isEmpty();
    }

    @Test
    void aRedactedReportStillCarriesTheVerpAddressInTheReportedHeaders() {
        ComplaintReport r = ComplaintReport.parse(Samples.part("fbl-redacted-verp-return-path.eml"));
        assertThat(r.returnPaths()).containsExactly(
                "bounce+01JEAXK3Q5ZV8M2R7T9W4Y6B1C+carol=example.net@bounce.example.org",
                "bounce+01JEAXK3Q5ZV8M2R7T9W4Y6B1C+carol=example.net@bounce.example.org");
    }

    @Test
    void authFailureReportsAreNotComplaints() {
        ComplaintReport r = ComplaintReport.parse(Samples.part("dmarc-auth-failure.eml"));
        assertThat(r.feedbackType()).isEqualTo("auth-failure");
        assertThat(r.isComplaint()).isFalse();
    }

    @Test
    void aBase64FeedbackPartIsDecoded() {
        String fields = "Feedback-Type: fraud\r\nUser-Agent: X/1\r\nVersion: 1\r\nOriginal-Rcpt-To: dave@example.net\r\n";
        String report = "Content-Type: multipart/report; report-type=\"feedback-report\"; boundary=\"x\"\r\n\r\n"
                + "--x\r\nContent-Type: text/plain\r\n\r\nreport\r\n"
                + "--x\r\nContent-Type: message/feedback-report\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(fields.getBytes()) + "\r\n--x--\r\n";
        ComplaintReport r = ComplaintReport.parse(MimePart.parse(report));
        assertThat(r.feedbackType()).isEqualTo("fraud");
        assertThat(r.namedRecipients()).isEqualTo(List.of("dave@example.net"));
    }

    @Test
    void withoutFeedbackTypeItIsUnparsable() {
        String report = "Content-Type: multipart/report; report-type=feedback-report; boundary=x\n\n"
                + "--x\nContent-Type: message/feedback-report\n\nUser-Agent: X/1\n\n--x--\n";
        assertThatThrownBy(() -> ComplaintReport.parse(MimePart.parse(report)))
                .isInstanceOf(UnparsableReportException.class).hasMessageContaining("Feedback-Type");
    }
}
