package dev.tern.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.common.classify.BounceAction;
import dev.tern.common.classify.BounceCategory;
import dev.tern.smtp.reply.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BounceRulesParserTest {

    @Test
    void withoutRulesTheShippedOnesDecide() {
        Policy p = PolicyParser.parse("relay: {local-domains: [example.org]}", null);
        assertThat(p.bounceClassifier().operatorRules()).isEmpty();
        var c = p.bounceClassifier().classify(Reply.of(550, "5.1.1", "user unknown"));
        assertThat(c.category()).isEqualTo(BounceCategory.INVALID_RECIPIENT);
        assertThat(c.action()).isEqualTo(BounceAction.SUPPRESS);
    }

    @Test
    void operatorRulesAreReadInOrderAndComeBeforeTheShippedOnes() {
        Policy p = PolicyParser.parse("""
                bounce-rules:
                  - {match: "5.2.2", category: mailbox-full, action: suppress}
                  - {match: 421, category: rate-limited, action: backoff}
                  - {match: "(?i)greylisted", category: rate-limited}
                  - {match: "user unknown", category: other, action: none}
                """, null);
        var classifier = p.bounceClassifier();
        assertThat(classifier.operatorRules()).extracting(r -> r.name()).containsExactly("bounce-rules[0]",
                "bounce-rules[1]", "bounce-rules[2]", "bounce-rules[3]");
        assertThat(classifier.classify(Reply.of(552, "5.2.2", "Mailbox full")).action())
                .isEqualTo(BounceAction.SUPPRESS);
        assertThat(classifier.classify(Reply.of(421, "4.7.0", "go away")).action()).isEqualTo(BounceAction.BACKOFF);
        var grey = classifier.classify(Reply.of(450, "4.2.0", "Recipient address rejected: Greylisted"));
        assertThat(grey.category()).isEqualTo(BounceCategory.RATE_LIMITED);
        assertThat(grey.action()).as("the category's default").isEqualTo(BounceAction.NONE);
        var unknown = classifier.classify(Reply.of(550, "5.1.1", "user unknown"));
        assertThat(unknown.category()).as("the operator overrides a shipped rule").isEqualTo(BounceCategory.OTHER);
        assertThat(unknown.action()).isEqualTo(BounceAction.NONE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[{match: '550', category: spam}]|bounce-rules[0].category",
            "[{match: '550', category: other}, {match: '551', category: bogus}]|bounce-rules[1].category",
            "[{match: '550'}]|bounce-rules[0].category",
            "[{category: other}]|bounce-rules[0].match",
            "[{match: '', category: other}]|bounce-rules[0].match",
            "[{match: 'user (unknown', category: other}]|bounce-rules[0].match",
            "[{match: '550', category: other, action: delete}]|bounce-rules[0].action",
            "[{match: '550', category: other, colour: red}]|bounce-rules[0].colour",
            "[{match: [550], category: other}]|bounce-rules[0].match",
            "{match: '550', category: other}|bounce-rules",
            "['550']|bounce-rules[0]"})
    void malformedRulesFailNamingTheKey(String rules, String key) {
        assertThatThrownBy(() -> PolicyParser.parse("bounce-rules: " + rules, null))
                .isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).key()).isEqualTo(key));
    }
}
