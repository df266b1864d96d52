package dev.tern.delivery.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.EgressSource;
import dev.tern.common.policy.Policy;
import dev.tern.common.policy.PolicyParser;
import dev.tern.common.policy.Rate;
import dev.tern.common.policy.Transport;
import dev.tern.delivery.route.NextHop;
import dev.tern.delivery.route.RoutePlan;
import java.util.List;
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
        assertThat(ShapingKeys.of("gmail.com", p, "gmail-smtp-in.l.google.com.")).isEqualTo(ShapingKey.destination("*.google.com"));
        assertThat(ShapingKeys.of("example.org", p, "ASPMX.L.GOOGLE.COM")).isEqualTo(ShapingKey.destination("*.google.com"));
    }

    @Test
    void keepsTheDestinationWhenTheMxDoesNotMatchOrNoRollupIsSet() {
        assertThat(ShapingKeys.of("gmail.com", rollup("*.google.com"), "mx.example.net")).isEqualTo(ShapingKey.destination("gmail.com"));
        assertThat(ShapingKeys.of("gmail.com", rollup("*.google.com"), "google.com")).isEqualTo(ShapingKey.destination("gmail.com"));
        assertThat(ShapingKeys.of("gmail.com", rollup(null), "mx.google.com")).isEqualTo(ShapingKey.destination("gmail.com"));
        assertThat(ShapingKeys.of("gmail.com", rollup("*.google.com"), null)).isEqualTo(ShapingKey.destination("gmail.com"));
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

    @Test
    void aReloadedPolicyGivesTheLimitsOfTheEntryOfTheSameName() {
        Policy before = PolicyParser.parse("""
                sources:
                  192.0.2.1: {rate: 10/h}
                destinations:
                  default: {max-connections: 5}
                  gmail.com: {rate: 10/s, source-ip: 192.0.2.1}
                  yahoo.com: {rate: 5/s}
                """, null);
        Policy after = PolicyParser.parse("""
                sources:
                  192.0.2.1: {rate: 1000/h}
                destinations:
                  default: {max-connections: 7}
                  gmail.com: {rate: 50/s, source-ip: 192.0.2.1}
                """, null);
        DestinationPolicy gmail = before.destinationFor("gmail.com");
        ShapingKey sourceKey = ShapingKey.source("192.0.2.1");
        ShapingKey gmailKey = ShapingKey.destination("gmail.com");

        assertThat(ShapingKeys.latest(after, gmailKey, gmail).rate()).isEqualTo(Rate.parse("50/s"));
        assertThat(ShapingKeys.latest(after, gmailKey.from("192.0.2.1"), gmail).rate())
                .as("per-source: the destination's entry").isEqualTo(Rate.parse("50/s"));
        assertThat(ShapingKeys.latest(after, ShapingKey.destination("yahoo.com"), before.destinationFor("yahoo.com"))
                .maxConnections()).as("a removed entry falls back to the default").isEqualTo(7);
        assertThat(ShapingKeys.latest(after, ShapingKey.destination("other.test"),
                before.destinationFor("other.test")).maxConnections()).isEqualTo(7);
        assertThat(ShapingKeys.latest(after, sourceKey, ShapingKeys.limitsOf(gmail.egress().get(0))).rate())
                .isEqualTo(Rate.parse("1000/h"));
        DestinationPolicy gone = ShapingKeys.limitsOf(EgressSource.unlimited("198.51.100.9"));
        assertThat(ShapingKeys.latest(after, ShapingKey.source("198.51.100.9"), gone))
                .as("an address no longer used keeps its limits").isSameAs(gone);
    }

    @Test
    void throughARouteADomainWithItsOwnEntryKeepsItsKeyAndTheRestShareTheRoutes() {
        Policy policy = PolicyParser.parse("""
                routes:
                  - match: "*"
                    via: smtp://relay.example:25
                destinations:
                  gmail.com: {rate: 10/s, mx-rollup: "*.google.com"}
                """, null);
        var relay = Transport.parse("smtp://relay.example:25");
        var hop = List.of(new NextHop("relay.example", null, 25));
        var gmail = new RoutePlan(relay.toString(), relay.toString(), relay, policy.destinationFor("gmail.com"), hop,
                null);
        var other = new RoutePlan(relay.toString(), relay.toString(), relay, policy.destinationFor("other.example"),
                hop, null);
        assertThat(ShapingKeys.of(gmail, "relay.example")).isEqualTo(ShapingKey.destination("gmail.com"));
        assertThat(ShapingKeys.of(other, "relay.example")).isEqualTo(ShapingKey.destination("smtp://relay.example:25"));

        var mx = new RoutePlan("gmail.com", "mx", Transport.MX, policy.destinationFor("gmail.com"), hop, null);
        assertThat(ShapingKeys.of(mx, "alt1.gmail-smtp-in.l.google.com")).isEqualTo(ShapingKey.destination("*.google.com"));
    }
}
