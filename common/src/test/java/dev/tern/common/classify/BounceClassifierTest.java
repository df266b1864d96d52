package dev.tern.common.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.smtp.reply.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;

class BounceClassifierTest {

    private final BounceClassifier defaults = BounceClassifier.defaults();

    @Test
    void permanentInvalidRecipientSuppressesAndTemporaryDoesNot() {
        var hard = defaults.classify(Reply.of(550, "5.1.1", "user unknown"));
        assertThat(hard.category()).isEqualTo(BounceCategory.INVALID_RECIPIENT);
        assertThat(hard.action()).isEqualTo(BounceAction.SUPPRESS);
        var soft = defaults.classify(Reply.of(450, "4.1.1", "user unknown, try later"));
        assertThat(soft.category()).isEqualTo(BounceCategory.INVALID_RECIPIENT);
        assertThat(soft.action()).isEqualTo(BounceAction.NONE);
    }

    @Test
    void todaysHardBounceStatusesStillSuppressWhateverTheCategory() {
        // 5.1.2 from our own resolver is a dns failure, and was a hard bounce before categories existed.
        var nxdomain = defaults.classify(Reply.of(550, "5.1.2", "Domain example.invalid does not exist"));
        assertThat(nxdomain.category()).isEqualTo(BounceCategory.DNS);
        assertThat(nxdomain.action()).isEqualTo(BounceAction.SUPPRESS);
        var nullMx = defaults.classify(Reply.of(556, "5.1.10", "Domain example.com does not accept mail (null MX)"));
        assertThat(nullMx.action()).isEqualTo(BounceAction.SUPPRESS);
    }

    @Test
    void otherCategoriesDoNothingByDefault() {
        for (Reply r : List.of(Reply.of(552, "5.2.2", "mailbox full"), Reply.of(554, "5.7.1", "blocked as spam"),
                Reply.of(421, "4.7.0", "too many connections"), Reply.of(550, "5.7.1", "Relaying denied"))) {
            assertThat(defaults.classify(r).action()).as(r.toString()).isEqualTo(BounceAction.NONE);
        }
    }

    @Test
    void aSuppressedRecipientsRefusalDoesNotSuppressAgain() {
        var c = defaults.classify(Reply.of(550, "5.7.1", "Recipient a@example.com is suppressed until "
                + "2026-12-31T00:00:00Z after a hard bounce: 550 5.1.1 user unknown"));
        assertThat(c.category()).isEqualTo(BounceCategory.INVALID_RECIPIENT);
        assertThat(c.action()).isEqualTo(BounceAction.NONE);
    }

    @Test
    void ternsOwnConnectionFailuresAreConnectionDnsOrTls() {
        assertThat(defaults.classify(Reply.of(451, "4.4.1", "Cannot connect to mx.example.com[192.0.2.1]:25: "
                + "Connection refused")).category()).isEqualTo(BounceCategory.CONNECTION);
        assertThat(defaults.classify(Reply.of(451, "4.4.2", "Timed out waiting for the remote server")).category())
                .isEqualTo(BounceCategory.CONNECTION);
        assertThat(defaults.classify(Reply.of(451, "4.4.3", "DNS lookup of MX for example.com failed: timeout"))
                .category()).isEqualTo(BounceCategory.DNS);
        assertThat(defaults.classify(Reply.of(451, "4.7.5", "TLS handshake failed: bad certificate")).category())
                .isEqualTo(BounceCategory.TLS);
    }

    @Test
    void anExpiryIsClassifiedByItsLastError() {
        var c = defaults.classify(Reply.of(451, "4.4.7", "Message expired after 5d in the queue; last error: "
                + "452 4.2.2 Mailbox full"));
        assertThat(c.category()).isEqualTo(BounceCategory.MAILBOX_FULL);
        assertThat(defaults.classify(Reply.of(451, "4.4.7", "Message expired in the queue")).category())
                .isEqualTo(BounceCategory.OTHER);
    }

    @Test
    void operatorRulesComeFirstAndMatchByCodeStatusOrRegex() {
        var classifier = new BounceClassifier(List.of(
                BounceRule.of("bounce-rules[0]", "5.2.2", BounceCategory.MAILBOX_FULL, BounceAction.SUPPRESS),
                BounceRule.of("bounce-rules[1]", "451", BounceCategory.RATE_LIMITED, BounceAction.BACKOFF),
                BounceRule.of("bounce-rules[2]", "Sorry, not today", BounceCategory.POLICY, null)));
        var full = classifier.classify(Reply.of(552, "5.2.2", "mailbox full"));
        assertThat(full.action()).isEqualTo(BounceAction.SUPPRESS);
        assertThat(full.rule()).isEqualTo("bounce-rules[0]");
        assertThat(classifier.classify(Reply.of(451, "4.3.0", "try again")).action()).isEqualTo(BounceAction.BACKOFF);
        var regex = classifier.classify(Reply.of(550, "5.1.1", "SORRY, NOT TODAY"));
        assertThat(regex.category()).isEqualTo(BounceCategory.POLICY);
        assertThat(regex.action()).as("default action of policy, though the status is 5.1.1")
                .isEqualTo(BounceAction.SUPPRESS);
        // Not matched by the operator's rules: the defaults decide.
        assertThat(classifier.classify(Reply.of(550, "5.1.1", "user unknown")).rule()).startsWith("default-bounce-rules.txt:");
    }

    @Test
    void anOperatorRuleSeesAnExpiryAsItStands() {
        var classifier = new BounceClassifier(List.of(BounceRule.of("bounce-rules[0]", "4.4.7", BounceCategory.OTHER, BounceAction.NONE)));
        assertThat(classifier.classify(Reply.of(451, "4.4.7", "Message expired; last error: 452 4.2.2 full"))
                .rule()).isEqualTo("bounce-rules[0]");
    }

    @Test
    void multiLineRepliesAsLoggedAreRead() {
        var c = defaults.classifyLine("550-5.1.1 The email account that you tried to reach does not exist. - gsmtp");
        assertThat(c.category()).isEqualTo(BounceCategory.INVALID_RECIPIENT);
        assertThat(c.action()).isEqualTo(BounceAction.SUPPRESS);
        assertThat(defaults.classifyLine("no code here").category()).isEqualTo(BounceCategory.OTHER);
        // qmail puts the status last, Cisco AsyncOS behind a '#'.
        assertThat(defaults.classifyLine("554 Sorry, no mailbox here by that name. (#5.1.1)").action())
                .isEqualTo(BounceAction.SUPPRESS);
        assertThat(defaults.classifyLine("550 #5.1.0 Address rejected.").category())
                .isEqualTo(BounceCategory.INVALID_RECIPIENT);
    }

    @Test
    void aBadRegexIsRefused() {
        assertThatThrownBy(() -> BounceRule.of("x", "user (unknown", BounceCategory.OTHER, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid regular expression");
        assertThatThrownBy(() -> BounceRule.of("x", " ", BounceCategory.OTHER, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void labelsRoundTrip() {
        for (BounceCategory c : BounceCategory.values()) {
            assertThat(BounceCategory.ofLabel(c.label())).contains(c);
        }
        assertThat(BounceCategory.INVALID_RECIPIENT.label()).isEqualTo("invalid-recipient");
        assertThat(BounceAction.ofLabel("backoff")).contains(BounceAction.BACKOFF);
    }
}
