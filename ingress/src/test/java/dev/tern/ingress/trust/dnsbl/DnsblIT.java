package dev.tern.ingress.trust.dnsbl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.dns.CachingDnsLookup;
import dev.tern.common.dns.DnsjavaLookup;
import dev.tern.common.policy.Checks;
import dev.tern.common.policy.Cidr;
import dev.tern.local.testkit.dns.KnotDns;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link DnsblChecker} through the production resolver stack (dnsjava, cache) against a real DNS
 * server (Knot DNS on loopback) serving block and allow lists the way public lists do.
 */
class DnsblIT {

    /** 192.0.2.1 and 2001:db8::1 listed; 192.0.2.9 answers Spamhaus' "public resolver refused". */
    private static final String BL = """
            2.0.0.127 A 127.0.0.2
            1.2.0.192 A 127.0.0.2
            1.2.0.192 TXT "listed: see https://bl.example/lookup"
            1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2 A 127.0.0.4
            9.2.0.192 A 127.255.255.254
            """;
    /** A second list with return codes: 192.0.2.1 as 127.0.0.11 (a "policy" code), 192.0.2.2 as 127.0.0.4. */
    private static final String CODES = """
            1.2.0.192 A 127.0.0.11
            2.2.0.192 A 127.0.0.4
            """;
    /** An allow list vouching for 192.0.2.1. */
    private static final String ALLOW = """
            1.2.0.192 A 127.0.0.2
            """;
    /** A lapsed list that now answers every name with a public address, as hijacking resolvers do. */
    private static final String WILDCARD = """
            * A 198.51.100.80
            """;

    static KnotDns knot;
    static DnsblChecker checker;

    @BeforeAll
    static void start() {
        knot = KnotDns.builder().zone("bl.test", BL).zone("codes.test", CODES).zone("allow.test", ALLOW)
                .zone("wild.test", WILDCARD).servfail("broken.test").start();
        var dns = new CachingDnsLookup(new DnsjavaLookup(List.of(new InetSocketAddress("127.0.0.1", knot.port())),
                Duration.ofSeconds(2)), Duration.ofHours(1), Clock.systemUTC());
        checker = new DnsblChecker(dns);
    }

    @AfterAll
    static void stop() {
        knot.close();
    }

    private static Checks.Dnsbl policy(double threshold, Checks.Dnsbl.Zone... zones) {
        return new Checks.Dnsbl(true, threshold, Checks.Dnsbl.Stage.CONNECT, List.of(zones));
    }

    private static Checks.Dnsbl.Zone zone(String name, double weight, String... answers) {
        return new Checks.Dnsbl.Zone(name, weight, java.util.Arrays.stream(answers).map(Cidr::parse).toList());
    }

    private static DnsblVerdict check(String ip, Checks.Dnsbl policy) throws Exception {
        return checker.check(InetAddress.getByName(ip), policy).toCompletableFuture().get(10,
                java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void theRfc5782TestAddressAndAListedIpv4ClientAreListed() throws Exception {
        var p = policy(1, zone("bl.test", 1));
        assertThat(check("127.0.0.2", p).listed()).isTrue();
        DnsblVerdict v = check("192.0.2.1", p);
        assertThat(v.listed()).isTrue();
        assertThat(v.listings()).containsExactly(
                new DnsblVerdict.Listing("bl.test", 1, InetAddress.getByName("127.0.0.2")));
        assertThat(v.replyText(InetAddress.getByName("192.0.2.1")))
                .isEqualTo("Service unavailable; client [192.0.2.1] listed by bl.test");
    }

    @Test
    void aListedIpv6ClientIsListedUnderItsReversedNibbles() throws Exception {
        DnsblVerdict v = check("2001:db8::1", policy(1, zone("bl.test", 1)));
        assertThat(v.listed()).isTrue();
        assertThat(v.listings().get(0).answer()).isEqualTo(InetAddress.getByName("127.0.0.4"));
        assertThat(check("2001:db8::2", policy(1, zone("bl.test", 1))).listed()).isFalse();
    }

    @Test
    void anUnlistedClientIsNotListed() throws Exception {
        DnsblVerdict v = check("192.0.2.99", policy(1, zone("bl.test", 1)));
        assertThat(v).isEqualTo(new DnsblVerdict(false, 0, List.of(), List.of(), List.of()));
    }

    @Test
    void aQueryRefusedAnswerIsNotAListingButIsReported() throws Exception {
        DnsblVerdict v = check("192.0.2.9", policy(1, zone("bl.test", 1, "127.0.0.0/8")));
        assertThat(v.listed()).isFalse();
        assertThat(v.refused()).containsExactly("bl.test");
    }

    @Test
    void aWildcardOfPublicAddressesListsNobody() throws Exception {
        DnsblVerdict v = check("192.0.2.50", policy(1, zone("wild.test", 1)));
        assertThat(v.listed()).isFalse();
        assertThat(v.listings()).isEmpty();
    }

    @Test
    void onlyTheZonesAcceptedReturnCodesCount() throws Exception {
        var policyCodes = policy(1, zone("codes.test", 1, "127.0.0.10/31"));
        assertThat(check("192.0.2.1", policyCodes).listed()).isTrue();
        assertThat(check("192.0.2.2", policyCodes).listed()).as("127.0.0.4 is not among the accepted codes")
                .isFalse();
    }

    @Test
    void twoWeightedListsAddUpAndAnAllowListBringsTheScoreUnderTheThreshold() throws Exception {
        var both = policy(1, zone("bl.test", 0.6), zone("codes.test", 0.7));
        DnsblVerdict v = check("192.0.2.1", both);
        assertThat(v.listed()).isTrue();
        assertThat(v.score()).isCloseTo(1.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(v.replyText(InetAddress.getByName("192.0.2.1"))).endsWith("listed by codes.test");
        assertThat(check("192.0.2.2", both).listed()).as("one list alone stays under 1").isFalse();

        var withAllow = policy(1, zone("bl.test", 0.6), zone("codes.test", 0.7), zone("allow.test", -1));
        DnsblVerdict allowed = check("192.0.2.1", withAllow);
        assertThat(allowed.listed()).isFalse();
        assertThat(allowed.score()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(allowed.listings()).extracting(DnsblVerdict.Listing::zone)
                .containsExactlyInAnyOrder("bl.test", "codes.test", "allow.test");
    }

    @Test
    void aFailingListCountsAsNotListingAndIsReported() throws Exception {
        DnsblVerdict v = check("192.0.2.1", policy(1, zone("broken.test", 5), zone("bl.test", 0.5)));
        assertThat(v.listed()).isFalse();
        assertThat(v.score()).isEqualTo(0.5);
        assertThat(v.failed()).containsExactly("broken.test");
    }
}
