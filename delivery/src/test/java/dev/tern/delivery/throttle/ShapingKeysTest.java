package dev.tern.delivery.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.smtp.reply.Reply;
import org.junit.jupiter.api.Test;

class ShapingKeysTest {

    private static DestinationPolicy rollup(String pattern) {
        var b = DestinationPolicy.BUILT_IN;
        return new DestinationPolicy("gmail.com", pattern, 10, 100, null, b.tls(), b.connectTimeout(),
                b.commandTimeout(), b.dataTimeout(), b.backoff(), null);
    }

    @Test
    void sharesOneKeyForDomainsWhoseMxMatchesTheRollup() {
        var p = rollup("*.google.com");
        assertThat(ShapingKeys.of("gmail.com", p, "gmail-smtp-in.l.google.com.")).isEqualTo("*.google.com");
        assertThat(ShapingKeys.of("example.org", p, "ASPMX.L.GOOGLE.COM")).isEqualTo("*.google.com");
    }

    @Test
    void keepsTheDestinationWhenTheMxDoesNotMatchOrNoRollupIsSet() {
        assertThat(ShapingKeys.of("gmail.com", rollup("*.google.com"), "mx.example.net")).isEqualTo("gmail.com");
        assertThat(ShapingKeys.of("gmail.com", rollup("*.google.com"), "google.com")).isEqualTo("gmail.com");
        assertThat(ShapingKeys.of("gmail.com", rollup(null), "mx.google.com")).isEqualTo("gmail.com");
        assertThat(ShapingKeys.of("gmail.com", rollup("*.google.com"), null)).isEqualTo("gmail.com");
    }

    @Test
    void pausesOn421AndOnRateRepliesOnly() {
        assertThat(AdaptiveBackoff.pausesDestination(Reply.of(421, "4.7.0", "Too many connections"))).isTrue();
        assertThat(AdaptiveBackoff.pausesDestination(Reply.of(421, "4.3.2", "Shutting down"))).isTrue();
        assertThat(AdaptiveBackoff.pausesDestination(Reply.of(451, "4.7.28", "Our system has detected an unusual rate"
                + " of unsolicited mail"))).isTrue();
        assertThat(AdaptiveBackoff.pausesDestination(Reply.of(450, "4.7.1", "Please try again later"))).isTrue();
        assertThat(AdaptiveBackoff.pausesDestination(Reply.of(451, "4.7.1", "Greylisted"))).isFalse();
        assertThat(AdaptiveBackoff.pausesDestination(Reply.of(451, "4.3.0", "try again later"))).isFalse();
        assertThat(AdaptiveBackoff.pausesDestination(Reply.of(550, "5.7.1", "rate limit"))).isFalse();
    }
}
