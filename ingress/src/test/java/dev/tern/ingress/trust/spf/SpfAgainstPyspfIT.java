package dev.tern.ingress.trust.spf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.dns.CachingDnsLookup;
import dev.tern.common.dns.DnsjavaLookup;
import dev.tern.local.testkit.Pyspf;
import dev.tern.local.testkit.dns.KnotDns;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tern's SPF against pyspf, the reference implementation, on one real DNS server (Knot DNS on
 * loopback) with one test zone: every case must give the expected result in both. Tern asks
 * through the production resolver stack (dnsjava, cache), never a fake.
 */
class SpfAgainstPyspfIT {

    private static final String ZONE = """
            pass TXT "v=spf1 ip4:192.0.2.1 -all"
            soft TXT "v=spf1 ip4:192.0.2.1 ~all"
            neutral TXT "v=spf1 ?all"
            empty TXT "v=spf1"
            nospf TXT "google-site-verification=abc"
            split TXT "v=spf1 ip4:192.0.2.1" " -all"
            a TXT "v=spf1 a/24 -all"
            a A 192.0.2.10
            mx TXT "v=spf1 mx -all"
            mx MX 10 in1.mx
            mx MX 20 in2.mx
            in1.mx A 198.51.100.1
            in2.mx A 192.0.2.20
            v6 TXT "v=spf1 ip6:2001:db8::/32 a -all"
            v6 AAAA 2001:db8:1::5
            inc TXT "v=spf1 include:_spf.inc.spf.test include:_bad.inc.spf.test ~all"
            _spf.inc TXT "v=spf1 ip4:192.0.2.1 -all"
            _bad.inc TXT "v=spf1 ip4:192.0.2.50 -all"
            redir TXT "v=spf1 redirect=_spf.inc.spf.test"
            ptr TXT "v=spf1 ptr -all"
            host.ptr A 192.0.2.5
            exists TXT "v=spf1 exists:%{ir}.%{l1r+-}._allow.%{d} -all"
            1.2.0.192.alice._allow.exists A 127.0.0.2
            helo TXT "v=spf1 exists:%{l}.%{i}._h.%{d} -all"
            postmaster.192.0.2.1._h.helo A 127.0.0.2
            exp TXT "v=spf1 ip4:192.0.2.1 -all exp=why.exp.spf.test"
            why.exp TXT "%{l} at %{d} may not send from %{i}"
            syntax TXT "v=spf1 ip4:192.0.2.300 -all"
            unknown TXT "v=spf1 frobnicate:x -all"
            twice TXT "v=spf1 -all"
            twice TXT "v=spf1 +all"
            many TXT "v=spf1 a:h1.many.spf.test a:h2.many.spf.test a:h3.many.spf.test a:h4.many.spf.test a:h5.many.spf.test a:h6.many.spf.test a:h7.many.spf.test a:h8.many.spf.test a:h9.many.spf.test a:h10.many.spf.test a:h11.many.spf.test ip4:192.0.2.1 -all"
            ten TXT "v=spf1 a:h1.many.spf.test a:h2.many.spf.test a:h3.many.spf.test a:h4.many.spf.test a:h5.many.spf.test a:h6.many.spf.test a:h7.many.spf.test a:h8.many.spf.test a:h9.many.spf.test a:h10.many.spf.test ip4:192.0.2.1 -all"
            h1.many A 198.51.100.1
            h2.many A 198.51.100.2
            h3.many A 198.51.100.3
            h4.many A 198.51.100.4
            h5.many A 198.51.100.5
            h6.many A 198.51.100.6
            h7.many A 198.51.100.7
            h8.many A 198.51.100.8
            h9.many A 198.51.100.9
            h10.many A 198.51.100.10
            h11.many A 198.51.100.11
            void TXT "v=spf1 a:gone1.void.spf.test a:gone2.void.spf.test a:gone3.void.spf.test ip4:192.0.2.1 -all"
            twovoid TXT "v=spf1 a:gone1.void.spf.test a:gone2.void.spf.test ip4:192.0.2.1 -all"
            loop TXT "v=spf1 include:loop.spf.test -all"
            dangling TXT "v=spf1 redirect=nospf.spf.test"
            temp TXT "v=spf1 include:x.broken.test -all"
            tempa TXT "v=spf1 a:x.broken.test ip4:192.0.2.1 -all"
            """;

    /** One case: the check's inputs and the result both implementations must give. */
    private record Case(String ip, String sender, String helo, SpfResult expected) {
    }

    private static final List<Case> CASES = List.of(
            new Case("192.0.2.1", "bob@pass.spf.test", "client.test", SpfResult.PASS),
            new Case("192.0.2.99", "bob@pass.spf.test", "client.test", SpfResult.FAIL),
            new Case("192.0.2.99", "bob@soft.spf.test", "client.test", SpfResult.SOFTFAIL),
            new Case("192.0.2.99", "bob@neutral.spf.test", "client.test", SpfResult.NEUTRAL),
            new Case("192.0.2.99", "bob@empty.spf.test", "client.test", SpfResult.NEUTRAL),
            new Case("192.0.2.1", "bob@nospf.spf.test", "client.test", SpfResult.NONE),
            new Case("192.0.2.1", "bob@missing.spf.test", "client.test", SpfResult.NONE),
            new Case("192.0.2.1", "bob@split.spf.test", "client.test", SpfResult.PASS),
            new Case("192.0.2.200", "bob@a.spf.test", "client.test", SpfResult.PASS),
            new Case("192.0.3.1", "bob@a.spf.test", "client.test", SpfResult.FAIL),
            new Case("192.0.2.20", "bob@mx.spf.test", "client.test", SpfResult.PASS),
            new Case("192.0.2.21", "bob@mx.spf.test", "client.test", SpfResult.FAIL),
            new Case("2001:db8:ffff::1", "bob@v6.spf.test", "client.test", SpfResult.PASS),
            new Case("2001:db9::5", "bob@v6.spf.test", "client.test", SpfResult.FAIL),
            new Case("192.0.2.1", "bob@inc.spf.test", "client.test", SpfResult.PASS),
            new Case("192.0.2.77", "bob@inc.spf.test", "client.test", SpfResult.SOFTFAIL),
            new Case("192.0.2.1", "bob@redir.spf.test", "client.test", SpfResult.PASS),
            new Case("192.0.2.77", "bob@redir.spf.test", "client.test", SpfResult.FAIL),
            new Case("192.0.2.5", "bob@ptr.spf.test", "client.test", SpfResult.PASS),
            new Case("192.0.2.6", "bob@ptr.spf.test", "client.test", SpfResult.FAIL),
            new Case("192.0.2.1", "alice@exists.spf.test", "client.test", SpfResult.PASS),
            new Case("192.0.2.1", "bob@exists.spf.test", "client.test", SpfResult.FAIL),
            new Case("192.0.2.1", "", "helo.spf.test", SpfResult.PASS),
            new Case("192.0.2.2", "", "helo.spf.test", SpfResult.FAIL),
            new Case("192.0.2.99", "bob@exp.spf.test", "client.test", SpfResult.FAIL),
            new Case("192.0.2.1", "bob@syntax.spf.test", "client.test", SpfResult.PERMERROR),
            new Case("192.0.2.1", "bob@unknown.spf.test", "client.test", SpfResult.PERMERROR),
            new Case("192.0.2.1", "bob@twice.spf.test", "client.test", SpfResult.PERMERROR),
            new Case("192.0.2.1", "bob@ten.spf.test", "client.test", SpfResult.PASS),
            new Case("192.0.2.1", "bob@many.spf.test", "client.test", SpfResult.PERMERROR),
            new Case("192.0.2.1", "bob@twovoid.spf.test", "client.test", SpfResult.PASS),
            new Case("192.0.2.1", "bob@void.spf.test", "client.test", SpfResult.PERMERROR),
            new Case("192.0.2.1", "bob@loop.spf.test", "client.test", SpfResult.PERMERROR),
            new Case("192.0.2.1", "bob@dangling.spf.test", "client.test", SpfResult.PERMERROR),
            new Case("192.0.2.1", "bob@x.broken.test", "client.test", SpfResult.TEMPERROR),
            new Case("192.0.2.1", "bob@temp.spf.test", "client.test", SpfResult.TEMPERROR),
            new Case("192.0.2.1", "bob@tempa.spf.test", "client.test", SpfResult.TEMPERROR));

    static KnotDns knot;
    static SpfChecker tern;

    @BeforeAll
    static void start() {
        knot = KnotDns.builder().zone("spf.test", ZONE)
                .zone("2.0.192.in-addr.arpa", "5 PTR host.ptr.spf.test.\n6 PTR host.ptr.spf.test.")
                .servfail("broken.test").start();
        CachingDnsLookup dns = new CachingDnsLookup(new DnsjavaLookup(List.of(new InetSocketAddress("127.0.0.1",
                knot.port())), Duration.ofSeconds(2)), Duration.ofHours(1), Clock.systemUTC());
        tern = new SpfChecker(dns, "mx.tern.test", Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        knot.close();
    }

    @Test
    void ternAndPyspfGiveTheExpectedResultForEveryCase() throws Exception {
        var queries = CASES.stream().map(c -> new Pyspf.Query(c.ip(), c.sender(), c.helo())).toList();
        List<Pyspf.Answer> reference = Pyspf.check(knot.port(), queries);
        var mismatches = new ArrayList<String>();
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            SpfVerdict ours = tern.checkMailFrom(InetAddress.getByName(c.ip()), c.sender(), c.helo())
                    .toCompletableFuture().join();
            String theirs = reference.get(i).result();
            if (ours.result() != c.expected() || !theirs.equals(c.expected().keyword())) {
                mismatches.add(c + ": tern " + ours.result().keyword() + " (" + ours.problem() + "), pyspf " + theirs
                        + " (" + reference.get(i).explanation() + ")");
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void theExplanationMatchesPyspfs() throws Exception {
        var query = new Pyspf.Query("192.0.2.99", "bob@exp.spf.test", "client.test");
        String theirs = Pyspf.check(knot.port(), List.of(query)).get(0).explanation();
        SpfVerdict ours = tern.checkMailFrom(InetAddress.getByName(query.ip()), query.sender(), query.helo())
                .toCompletableFuture().join();
        assertThat(ours.explanation()).isEqualTo("bob at exp.spf.test may not send from 192.0.2.99");
        assertThat(theirs).isEqualTo(ours.explanation());
    }
}
