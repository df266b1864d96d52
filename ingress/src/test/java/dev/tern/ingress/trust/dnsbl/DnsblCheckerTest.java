package dev.tern.ingress.trust.dnsbl;

import static dev.tern.ingress.trust.dnsbl.DnsblAnswersTest.address;
import static dev.tern.ingress.trust.dnsbl.DnsblAnswersTest.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.dns.DnsAnswer;
import dev.tern.common.dns.DnsLookup;
import dev.tern.common.policy.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The scoring and failure handling of {@link DnsblChecker} over DNS answers given by hand. */
class DnsblCheckerTest {

    /** Answers by name; the futures are completed by the test, so it sees what was asked before any answer. */
    private static final class HandDns implements DnsLookup {
        final Map<String, CompletableFuture<DnsAnswer>> asked = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<DnsAnswer> query(String name, int type) {
            assertThat(type).isEqualTo(Type.A);
            return asked.computeIfAbsent(name, n -> new CompletableFuture<>());
        }

        void listed(String name, String... ips) {
            asked.get(name).complete(new DnsAnswer(Rcode.NOERROR, records(ips), Duration.ofMinutes(1)));
        }

        void nxdomain(String name) {
            asked.get(name).complete(new DnsAnswer(Rcode.NXDOMAIN, List.of(), Duration.ofMinutes(1)));
        }

        void servfail(String name) {
            asked.get(name).complete(new DnsAnswer(Rcode.SERVFAIL, List.of(), Duration.ZERO));
        }
    }

    private final HandDns dns = new HandDns();
    private final DnsblChecker checker = new DnsblChecker(dns);

    private static Checks.Dnsbl policy(double threshold, Checks.Dnsbl.Zone... zones) {
        return new Checks.Dnsbl(true, threshold, Checks.Dnsbl.Stage.CONNECT, List.of(zones));
    }

    private static Checks.Dnsbl.Zone zone(String name, double weight) {
        return new Checks.Dnsbl.Zone(name, weight, List.of());
    }

    @Test
    void asksEveryZoneAtOnceAndSumsTheWeightsOfTheListingOnes() {
        var verdict = checker.check(address("192.0.2.1"), policy(1, zone("a.example", 0.5), zone("b.example", 0.7),
                zone("c.example", 2))).toCompletableFuture();
        assertThat(dns.asked).as("all zones asked before any answered")
                .containsOnlyKeys("1.2.0.192.a.example", "1.2.0.192.b.example", "1.2.0.192.c.example");
        dns.listed("1.2.0.192.a.example", "127.0.0.2");
        dns.listed("1.2.0.192.b.example", "127.0.0.3");
        assertThat(verdict).isNotDone();
        dns.nxdomain("1.2.0.192.c.example");

        DnsblVerdict v = verdict.join();
        assertThat(v.listed()).isTrue();
        assertThat(v.score()).isCloseTo(1.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(v.listings()).extracting(DnsblVerdict.Listing::zone).containsExactly("a.example", "b.example");
        assertThat(v.blamed().orElseThrow().zone()).as("the heaviest listing").isEqualTo("b.example");
        assertThat(v.replyText(address("192.0.2.1")))
                .isEqualTo("Service unavailable; client [192.0.2.1] listed by b.example");
    }

    @Test
    void anAllowListBringsTheScoreUnderTheThreshold() {
        var verdict = checker.check(address("192.0.2.1"), policy(1, zone("bl.example", 1.5),
                zone("allow.example", -1))).toCompletableFuture();
        dns.listed("1.2.0.192.bl.example", "127.0.0.2");
        dns.listed("1.2.0.192.allow.example", "127.0.0.2");

        DnsblVerdict v = verdict.join();
        assertThat(v.listed()).isFalse();
        assertThat(v.score()).isEqualTo(0.5);
        assertThat(v.blamed().orElseThrow().zone()).as("an allow list is never the one named").isEqualTo("bl.example");
    }

    @Test
    void belowTheThresholdIsNotListed() {
        var verdict = checker.check(address("192.0.2.1"), policy(2, zone("bl.example", 1.5))).toCompletableFuture();
        dns.listed("1.2.0.192.bl.example", "127.0.0.2");
        assertThat(verdict.join().listed()).isFalse();
    }

    @Test
    void aClientNoZoneListsIsNeverRefusedEvenWithAThresholdOfZero() {
        var verdict = checker.check(address("192.0.2.1"), policy(0, zone("bl.example", 1))).toCompletableFuture();
        dns.nxdomain("1.2.0.192.bl.example");
        assertThat(verdict.join().listed()).isFalse();
    }

    @Test
    void failingAndRefusingZonesCountAsNotListingAndAreReported() {
        var lost = new DnsLookup() {
            @Override
            public CompletionStage<DnsAnswer> query(String name, int type) {
                if (name.endsWith("timeout.example")) {
                    return CompletableFuture.failedFuture(new TimeoutException("no answer"));
                }
                if (name.endsWith("servfail.example")) {
                    return CompletableFuture.completedFuture(new DnsAnswer(Rcode.SERVFAIL, List.of(), Duration.ZERO));
                }
                if (name.endsWith("thrower.example")) {
                    throw new IllegalStateException("resolver closed");
                }
                return CompletableFuture.completedFuture(new DnsAnswer(Rcode.NOERROR, records("127.255.255.254"),
                        Duration.ofMinutes(1)));
            }
        };
        DnsblVerdict v = new DnsblChecker(lost).check(address("2001:db8::1"), policy(1, zone("timeout.example", 5),
                zone("servfail.example", 5), zone("thrower.example", 5), zone("zen.example", 5)))
                .toCompletableFuture().join();
        assertThat(v.listed()).isFalse();
        assertThat(v.score()).isZero();
        assertThat(v.failed()).containsExactly("timeout.example", "servfail.example", "thrower.example");
        assertThat(v.refused()).containsExactly("zen.example");
    }

    @Test
    void aDisabledPolicyAsksNothing() {
        var off = new Checks.Dnsbl(false, 1, Checks.Dnsbl.Stage.RCPT, List.of(zone("bl.example", 1)));
        assertThat(checker.check(address("192.0.2.1"), off).toCompletableFuture().join())
                .isEqualTo(DnsblVerdict.NOT_CHECKED);
        assertThat(dns.asked).isEmpty();
    }

    @Test
    void theNextCallUsesTheReloadedPolicy() {
        var first = checker.check(address("192.0.2.1"), policy(1, zone("old.example", 1))).toCompletableFuture();
        dns.listed("1.2.0.192.old.example", "127.0.0.2");
        assertThat(first.join().listed()).isTrue();

        var second = checker.check(address("192.0.2.1"), policy(1, zone("new.example", 1))).toCompletableFuture();
        dns.servfail("1.2.0.192.new.example");
        assertThat(second.join().listed()).isFalse();
        assertThat(second.join().failed()).containsExactly("new.example");
    }
}
