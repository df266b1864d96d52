package dev.tern.ingress.trust.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.Checks;
import dev.tern.common.policy.Cidr;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GreylistWhitelistTest {

    private static final Checks.Greylisting POLICY = new Checks.Greylisting(true, Duration.ofMinutes(5),
            Duration.ofHours(4), Duration.ofDays(36),
            List.of(Cidr.parse("198.51.100.0/24"), Cidr.parse("2001:db8::/32")),
            Set.of("partner.example", "*.bulk.example", ".tickets.example", "Trusted.Example."));

    private static boolean exempts(String ip, String sender, String recipient) throws Exception {
        return GreylistWhitelist.exempts(POLICY, InetAddress.getByName(ip), sender, recipient);
    }

    @Test
    void clientsInAWhitelistedNetworkAreExempt() throws Exception {
        assertThat(exempts("198.51.100.9", "a@any.example", "b@here.example")).isTrue();
        assertThat(exempts("2001:db8:5::1", "a@any.example", "b@here.example")).isTrue();
        assertThat(exempts("192.0.2.9", "a@any.example", "b@here.example")).isFalse();
    }

    @Test
    void senderAndRecipientDomainsAndTheirSubdomainsAreExempt() throws Exception {
        assertThat(exempts("192.0.2.9", "a@partner.example", "b@here.example")).isTrue();
        assertThat(exempts("192.0.2.9", "a@mail.PARTNER.example", "b@here.example")).isTrue();
        assertThat(exempts("192.0.2.9", "a@bulk.example", "b@here.example")).isTrue();
        assertThat(exempts("192.0.2.9", "a@x.tickets.example", "b@here.example")).isTrue();
        assertThat(exempts("192.0.2.9", "a@any.example", "postmaster@trusted.example")).isTrue();
    }

    @Test
    void aDomainThatOnlyEndsWithTheSameLettersIsNotExempt() throws Exception {
        assertThat(exempts("192.0.2.9", "a@notpartner.example", "b@here.example")).isFalse();
        assertThat(exempts("192.0.2.9", "a@partner.example.evil", "b@here.example")).isFalse();
    }

    @Test
    void theNullSenderHasNoDomainToMatch() throws Exception {
        assertThat(exempts("192.0.2.9", "", "b@here.example")).isFalse();
    }
}
