package dev.tern.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import dev.tern.common.feedback.VerpAddress;
import org.junit.jupiter.api.Test;

class FeedbackParserTest {

    private static final String ID = "01JEAXK3Q5ZV8M2R7T9W4Y6B1C";

    @Test
    void withoutTheSectionSendersStayAsTheyAre() {
        Feedback f = PolicyParser.parse("relay: {local-domains: [example.org]}", null).feedback();
        assertThat(f).isEqualTo(Feedback.NONE);
        assertThat(f.senderFor("alice@example.org", ID, "bob@example.com")).isEqualTo("alice@example.org");
        assertThat(f.isBounceAddress("example.org")).isFalse();
        assertThat(f.decode("bounce+" + ID + "@example.org")).isEmpty();
    }

    @Test
    void enabledRewritesEveryNonNullSender() {
        Feedback f = PolicyParser.parse("feedback: {enabled: true, bounce-domain: Bounce.Example.ORG, prefix: rp}", null)
                .feedback();
        assertThat(f).isEqualTo(new Feedback(true, "bounce.example.org", "rp"));
        assertThat(f.senderFor("alice@example.org", ID, "bob@example.com"))
                .isEqualTo("rp+" + ID + "+bob=example.com@bounce.example.org");
        assertThat(f.senderFor("", ID, "bob@example.com")).isEmpty();
        assertThat(f.isBounceAddress("BOUNCE.example.org")).isTrue();
        assertThat(f.decode("rp+" + ID + "+bob=example.com@bounce.example.org"))
                .contains(new VerpAddress(ID, Optional.of("bob@example.com")));
    }

    @Test
    void disabledStillNamesTheBounceDomain() {
        Feedback f = PolicyParser.parse("feedback: {bounce-domain: bounce.example.org}", null).feedback();
        assertThat(f.enabled()).isFalse();
        assertThat(f.prefix()).isEqualTo("bounce");
        assertThat(f.isBounceAddress("bounce.example.org")).isTrue();
        assertThat(f.senderFor("alice@example.org", ID, "bob@example.com")).isEqualTo("alice@example.org");
    }

    @Test
    void malformedValuesNameTheirKey() {
        assertThatThrownBy(() -> PolicyParser.parse("feedback: {enabled: true}", null))
                .hasMessageContaining("feedback.bounce-domain");
        assertThatThrownBy(() -> PolicyParser.parse("feedback: {bounce-domain: 'no domain'}", null))
                .hasMessageContaining("feedback.bounce-domain");
        assertThatThrownBy(() -> PolicyParser.parse("feedback: {bounce-domain: b.org, enabled: yes please}", null))
                .hasMessageContaining("feedback.enabled");
        assertThatThrownBy(() -> PolicyParser.parse("feedback: {bounce-domain: b.org, prefix: 'a+b'}", null))
                .hasMessageContaining("feedback.prefix");
        assertThatThrownBy(() -> PolicyParser.parse("feedback: {bounce-domain: b.org, verp: true}", null))
                .hasMessageContaining("feedback.verp");
    }
}
