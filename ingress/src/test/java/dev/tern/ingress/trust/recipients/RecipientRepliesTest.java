package dev.tern.ingress.trust.recipients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.smtp.address.Mailbox;
import dev.tern.smtp.reply.Reply;
import org.junit.jupiter.api.Test;

class RecipientRepliesTest {

    private static final Mailbox BOB = Mailbox.of("bob@example.com");

    @Test
    void rcptRepliesMapToVerdicts() {
        assertThat(RecipientCallout.verdictOf(Reply.of(250, "2.1.5", "Ok"))).isEqualTo(CalloutVerdict.VALID);
        assertThat(RecipientCallout.verdictOf(Reply.of(251, "2.1.5", "will forward"))).isEqualTo(CalloutVerdict.VALID);
        assertThat(RecipientCallout.verdictOf(Reply.of(252, "2.5.2", "cannot verify"))).isEqualTo(CalloutVerdict.VALID);
        assertThat(RecipientCallout.verdictOf(Reply.of(550, "5.1.1", "no such user"))).isEqualTo(CalloutVerdict.UNKNOWN);
        assertThat(RecipientCallout.verdictOf(Reply.of(551, "5.1.6", "moved"))).isEqualTo(CalloutVerdict.UNKNOWN);
        assertThat(RecipientCallout.verdictOf(Reply.of(553, "5.1.3", "bad name"))).isEqualTo(CalloutVerdict.UNKNOWN);
        assertThat(RecipientCallout.verdictOf(Reply.of(450, "4.2.1", "try later"))).isEqualTo(CalloutVerdict.DEFERRED);
        assertThat(RecipientCallout.verdictOf(Reply.of(451, "4.3.0", "local error"))).isEqualTo(CalloutVerdict.DEFERRED);
        assertThat(RecipientCallout.verdictOf(Reply.of(452, "4.5.3", "too many"))).isEqualTo(CalloutVerdict.DEFERRED);
        assertThat(RecipientCallout.verdictOf(Reply.of(552, "5.2.2", "over quota"))).as("RFC 5321 §4.5.3.1.10")
                .isEqualTo(CalloutVerdict.DEFERRED);
        assertThat(RecipientCallout.verdictOf(Reply.of(554, "5.7.1", "relay denied"))).isEqualTo(CalloutVerdict.DEFERRED);
        assertThat(RecipientCallout.verdictOf(Reply.of(503, "5.5.1", "bad sequence"))).isEqualTo(CalloutVerdict.DEFERRED);
    }

    @Test
    void verdictsMapToClientReplies() {
        assertThat(RecipientReplies.forCallout(CalloutVerdict.VALID, BOB)).isNull();
        assertThat(RecipientReplies.forCallout(CalloutVerdict.NOT_CHECKED, BOB)).isNull();
        assertThat(RecipientReplies.forCallout(CalloutVerdict.UNKNOWN, BOB))
                .hasToString("550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown");
        Reply deferred = RecipientReplies.forCallout(CalloutVerdict.DEFERRED, BOB);
        assertThat(deferred.code()).isEqualTo(450);
        assertThat(deferred.status()).hasToString("4.1.1");
        Reply unreachable = RecipientReplies.forCallout(CalloutVerdict.UNREACHABLE, BOB);
        assertThat(unreachable.code()).isEqualTo(451);
        assertThat(unreachable.status()).hasToString("4.4.1");
        assertThat(unreachable.text()).doesNotContain("lmtp").doesNotContain("127.0.0.1");
    }

    @Test
    void onlyFactsAboutTheRecipientAreCacheable() {
        assertThat(CalloutVerdict.VALID.cacheable()).isTrue();
        assertThat(CalloutVerdict.UNKNOWN.cacheable()).isTrue();
        assertThat(CalloutVerdict.DEFERRED.cacheable()).isFalse();
        assertThat(CalloutVerdict.UNREACHABLE.cacheable()).isFalse();
        assertThat(CalloutVerdict.NOT_CHECKED.cacheable()).isFalse();
    }

    @Test
    void addressInTheReplyIsInWireForm() {
        assertThat(RecipientReplies.userUnknown(Mailbox.of("\"john doe\"@example.com")).text())
                .contains("<\"john doe\"@example.com>");
    }
}
