package dev.tern.ingress.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.Feedback;
import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.address.Mailbox;
import dev.tern.smtp.parse.RcptParameters;
import dev.tern.smtp.server.AcceptedRecipient;
import dev.tern.smtp.server.Replies;
import java.util.List;
import org.junit.jupiter.api.Test;

class BounceDomainTest {

    private static final Feedback FEEDBACK = new Feedback(false, "bounce.example.org", "bounce");
    private static final String VERP = "bounce+01JEAXK3Q5ZV8M2R7T9W4Y6B1C+bob=example.net@Bounce.Example.org";

    private static ForwardPath path(String address) {
        return ForwardPath.of(Mailbox.of(address));
    }

    private static AcceptedRecipient accepted(String address) {
        return new AcceptedRecipient(path(address), RcptParameters.NONE);
    }

    @Test
    void everyMailboxOfTheBounceDomainIsAcceptedWithoutFurtherChecks() {
        assertThat(BounceDomain.check(path(VERP), List.of(), FEEDBACK)).isEqualTo(Replies.RECIPIENT_OK);
        assertThat(BounceDomain.check(path("fbl@bounce.example.org"), List.of(), FEEDBACK)).isEqualTo(Replies.RECIPIENT_OK);
        assertThat(BounceDomain.isFeedback(List.of(accepted(VERP)), FEEDBACK)).isTrue();
    }

    @Test
    void otherDomainsGoOnToTheUsualChecks() {
        assertThat(BounceDomain.check(path("bob@example.org"), List.of(), FEEDBACK)).isNull();
        assertThat(BounceDomain.check(path("bob@sub.bounce.example.org"), List.of(), FEEDBACK)).isNull();
        assertThat(BounceDomain.check(path(VERP), List.of(), Feedback.NONE)).isNull();
        assertThat(BounceDomain.isFeedback(List.of(accepted("bob@example.org")), FEEDBACK)).isFalse();
    }

    @Test
    void reportsAndOtherMailNeverShareATransaction() {
        assertThat(BounceDomain.check(path("bob@example.org"), List.of(accepted(VERP)), FEEDBACK))
                .isEqualTo(BounceDomain.SEPARATE);
        assertThat(BounceDomain.check(path(VERP), List.of(accepted("bob@example.org")), FEEDBACK))
                .isEqualTo(BounceDomain.SEPARATE);
        assertThat(BounceDomain.check(path("fbl@bounce.example.org"), List.of(accepted(VERP)), FEEDBACK))
                .isEqualTo(Replies.RECIPIENT_OK);
        assertThat(BounceDomain.SEPARATE.code()).isEqualTo(452);
    }
}
