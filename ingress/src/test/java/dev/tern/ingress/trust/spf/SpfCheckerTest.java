package dev.tern.ingress.trust.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SpfCheckerTest {

    private final Zone zone = new Zone();
    private final SpfChecker spf = new SpfChecker(zone, "mx.tern.test",
            Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC));

    private SpfVerdict mailFrom(String ip, String sender) {
        return check(ip, sender, "client.example.org");
    }

    private SpfVerdict check(String ip, String sender, String helo) {
        try {
            return spf.checkMailFrom(InetAddress.getByName(ip), sender, helo).toCompletableFuture().join();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private SpfResult result(String ip, String sender) {
        return mailFrom(ip, sender).result();
    }

    @Test
    void qualifiersGiveTheirResults() {
        zone.txt("pass.example", "v=spf1 +all").txt("fail.example", "v=spf1 -all")
                .txt("soft.example", "v=spf1 ~all").txt("neutral.example", "v=spf1 ?all")
                .txt("nothing.example", "v=spf1");
        assertThat(result("192.0.2.1", "a@pass.example")).isEqualTo(SpfResult.PASS);
        assertThat(result("192.0.2.1", "a@fail.example")).isEqualTo(SpfResult.FAIL);
        assertThat(result("192.0.2.1", "a@soft.example")).isEqualTo(SpfResult.SOFTFAIL);
        assertThat(result("192.0.2.1", "a@neutral.example")).isEqualTo(SpfResult.NEUTRAL);
        assertThat(result("192.0.2.1", "a@nothing.example")).isEqualTo(SpfResult.NEUTRAL);
    }

    @Test
    void noneWithoutARecordOrForABadDomain() {
        zone.txt("other.example", "some verification text");
        assertThat(result("192.0.2.1", "a@other.example")).isEqualTo(SpfResult.NONE);
        assertThat(result("192.0.2.1", "a@missing.example")).isEqualTo(SpfResult.NONE);
        assertThat(result("192.0.2.1", "a@localhost")).isEqualTo(SpfResult.NONE);
        assertThat(zone.asked).containsExactly("TXT other.example", "TXT missing.example");
    }

    @Test
    void ip4AndIp6Networks() {
        zone.txt("ip.example", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all");
        assertThat(result("192.0.2.77", "a@ip.example")).isEqualTo(SpfResult.PASS);
        assertThat(result("198.51.100.1", "a@ip.example")).isEqualTo(SpfResult.FAIL);
        assertThat(result("2001:db8::5", "a@ip.example")).isEqualTo(SpfResult.PASS);
        assertThat(result("2001:db9::5", "a@ip.example")).isEqualTo(SpfResult.FAIL);
    }

    @Test
    void aMechanismWithDualCidr() {
        zone.txt("a.example", "v=spf1 a a:hosts.a.example/24//64 -all").a("a.example", "192.0.2.10")
                .a("hosts.a.example", "198.51.100.1").a("hosts.a.example", "2001:db8:1::1");
        assertThat(result("192.0.2.10", "x@a.example")).isEqualTo(SpfResult.PASS);
        assertThat(result("192.0.2.11", "x@a.example")).isEqualTo(SpfResult.FAIL);
        assertThat(result("198.51.100.200", "x@a.example")).isEqualTo(SpfResult.PASS);
        assertThat(result("2001:db8:1::ffff", "x@a.example")).isEqualTo(SpfResult.PASS);
        assertThat(result("2001:db8:2::1", "x@a.example")).isEqualTo(SpfResult.FAIL);
    }

    @Test
    void mxMechanism() {
        zone.txt("mx.example", "v=spf1 mx -all").mx("mx.example", 10, "in1.mx.example")
                .mx("mx.example", 20, "in2.mx.example").a("in1.mx.example", "192.0.2.1")
                .a("in2.mx.example", "192.0.2.2");
        assertThat(result("192.0.2.2", "x@mx.example")).isEqualTo(SpfResult.PASS);
        assertThat(result("192.0.2.3", "x@mx.example")).isEqualTo(SpfResult.FAIL);
    }

    @Test
    void moreThanTenMxNamesIsAPermerror() {
        zone.txt("many.example", "v=spf1 mx -all");
        for (int i = 0; i < 11; i++) {
            zone.mx("many.example", i, "h" + i + ".many.example").a("h" + i + ".many.example", "192.0.2." + i);
        }
        assertThat(result("192.0.2.1", "x@many.example")).isEqualTo(SpfResult.PERMERROR);
    }

    @Test
    void ptrMechanismNeedsAValidatedName() {
        zone.txt("ptr.example", "v=spf1 ptr -all").ptr("192.0.2.5", "host.ptr.example")
                .a("host.ptr.example", "192.0.2.5").ptr("192.0.2.6", "liar.ptr.example")
                .a("liar.ptr.example", "198.51.100.6");
        assertThat(result("192.0.2.5", "x@ptr.example")).isEqualTo(SpfResult.PASS);
        assertThat(result("192.0.2.6", "x@ptr.example")).isEqualTo(SpfResult.FAIL);
        assertThat(result("192.0.2.7", "x@ptr.example")).isEqualTo(SpfResult.FAIL);
    }

    @Test
    void ptrUsesOnlyTheFirstTenNames() {
        zone.txt("ptr10.example", "v=spf1 ptr -all");
        for (int i = 0; i < 10; i++) {
            zone.ptr("192.0.2.9", "n" + i + ".elsewhere.example");
        }
        zone.ptr("192.0.2.9", "late.ptr10.example").a("late.ptr10.example", "192.0.2.9");
        assertThat(result("192.0.2.9", "x@ptr10.example")).isEqualTo(SpfResult.FAIL);
        assertThat(zone.asked).doesNotContain("A late.ptr10.example");
    }

    @Test
    void includeMatchesOnPassOnly() {
        zone.txt("inc.example", "v=spf1 include:good.example include:bad.example ~all")
                .txt("good.example", "v=spf1 ip4:192.0.2.1 -all").txt("bad.example", "v=spf1 ip4:192.0.2.2 -all");
        assertThat(result("192.0.2.1", "x@inc.example")).isEqualTo(SpfResult.PASS);
        assertThat(result("192.0.2.2", "x@inc.example")).isEqualTo(SpfResult.PASS);
        assertThat(result("192.0.2.3", "x@inc.example")).isEqualTo(SpfResult.SOFTFAIL);
    }

    @Test
    void includeOfADomainWithoutSpfIsAPermerror() {
        zone.txt("inc.example", "v=spf1 include:nospf.example -all").txt("nospf.example", "hello");
        assertThat(result("192.0.2.1", "x@inc.example")).isEqualTo(SpfResult.PERMERROR);
    }

    @Test
    void existsMatchesAnyARecord() {
        zone.txt("ex.example", "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all")
                .a("1.2.0.192.alice._spf.ex.example", "127.0.0.2");
        assertThat(result("192.0.2.1", "alice@ex.example")).isEqualTo(SpfResult.PASS);
        assertThat(result("192.0.2.1", "bob@ex.example")).isEqualTo(SpfResult.FAIL);
    }

    @Test
    void redirectUsesTheOtherDomainsResult() {
        zone.txt("r.example", "v=spf1 redirect=_spf.r.example").txt("_spf.r.example", "v=spf1 ip4:192.0.2.1 -all")
                .txt("dangling.example", "v=spf1 redirect=nowhere.example");
        assertThat(result("192.0.2.1", "x@r.example")).isEqualTo(SpfResult.PASS);
        assertThat(result("192.0.2.2", "x@r.example")).isEqualTo(SpfResult.FAIL);
        assertThat(result("192.0.2.2", "x@dangling.example")).isEqualTo(SpfResult.PERMERROR);
    }

    @Test
    void theEleventhDnsTermIsAPermerror() {
        var chain = new StringBuilder("v=spf1");
        for (int i = 0; i < 10; i++) {
            chain.append(" a:h").append(i).append(".limit.example");
            zone.a("h" + i + ".limit.example", "198.51.100." + i);
        }
        zone.txt("ten.example", chain + " ip4:192.0.2.1 -all");
        zone.txt("eleven.example", chain + " a:h0.limit.example ip4:192.0.2.1 -all");
        assertThat(result("192.0.2.1", "x@ten.example")).isEqualTo(SpfResult.PASS);
        SpfVerdict eleven = mailFrom("192.0.2.1", "x@eleven.example");
        assertThat(eleven.result()).isEqualTo(SpfResult.PERMERROR);
        assertThat(eleven.problem()).contains("more than 10");
    }

    @Test
    void lookupsInIncludesCountTowardsTheLimit() {
        zone.txt("loop.example", "v=spf1 include:loop.example -all");
        assertThat(result("192.0.2.1", "x@loop.example")).isEqualTo(SpfResult.PERMERROR);
    }

    @Test
    void theThirdVoidLookupIsAPermerror() {
        zone.txt("two.example", "v=spf1 a:gone1.example a:gone2.example ip4:192.0.2.1 -all")
                .txt("three.example", "v=spf1 a:gone1.example a:gone2.example a:gone3.example ip4:192.0.2.1 -all");
        assertThat(result("192.0.2.1", "x@two.example")).isEqualTo(SpfResult.PASS);
        SpfVerdict three = mailFrom("192.0.2.1", "x@three.example");
        assertThat(three.result()).isEqualTo(SpfResult.PERMERROR);
        assertThat(three.problem()).contains("void");
    }

    @Test
    void syntaxErrorsArePermerrors() {
        zone.txt("typo.example", "v=spf1 ip4:192.0.2.300 -all").txt("unknown.example", "v=spf1 foo:bar -all")
                .txt("cidr.example", "v=spf1 a/33 -all").txt("twice.example", "v=spf1 redirect=a.example redirect=b.example")
                .txt("macro.example", "v=spf1 exists:%{z}.example -all");
        for (String d : new String[] {"typo", "unknown", "cidr", "twice", "macro"}) {
            assertThat(result("192.0.2.1", "x@" + d + ".example")).as(d).isEqualTo(SpfResult.PERMERROR);
        }
    }

    @Test
    void twoSpfRecordsAreAPermerror() {
        zone.txt("double.example", "v=spf1 -all").txt("double.example", "v=spf1 +all");
        assertThat(result("192.0.2.1", "x@double.example")).isEqualTo(SpfResult.PERMERROR);
    }

    @Test
    void servfailAndTimeoutsAreTemperrorsNotNone() {
        zone.servfail("broken.example").timeout("slow.example")
                .txt("inner.example", "v=spf1 a:broken.example -all");
        assertThat(result("192.0.2.1", "x@broken.example")).isEqualTo(SpfResult.TEMPERROR);
        assertThat(result("192.0.2.1", "x@slow.example")).isEqualTo(SpfResult.TEMPERROR);
        assertThat(result("192.0.2.1", "x@inner.example")).isEqualTo(SpfResult.TEMPERROR);
    }

    @Test
    void failCarriesTheExpandedExplanation() {
        zone.txt("exp.example", "v=spf1 -all exp=why.%{d}")
                .txt("why.exp.example", "%{l} at %{o} may not send from %{i} via %{r} (%{c}, %{t}, %{v})%_%%");
        SpfVerdict v = mailFrom("192.0.2.1", "bob@exp.example");
        assertThat(v.result()).isEqualTo(SpfResult.FAIL);
        assertThat(v.explanation())
                .isEqualTo("bob at exp.example may not send from 192.0.2.1 via mx.tern.test (192.0.2.1, 1700000000, in-addr) %");
    }

    @Test
    void aBrokenExplanationLeavesTheFailWithoutText() {
        zone.txt("noexp.example", "v=spf1 -all exp=missing.noexp.example");
        SpfVerdict v = mailFrom("192.0.2.1", "bob@noexp.example");
        assertThat(v.result()).isEqualTo(SpfResult.FAIL);
        assertThat(v.explanation()).isNull();
    }

    @Test
    void theNullSenderIsCheckedAsPostmasterAtHelo() {
        zone.txt("helo.example", "v=spf1 exists:%{l}.%{i}.%{h}.check.example -all")
                .a("postmaster.192.0.2.1.helo.example.check.example", "127.0.0.2");
        SpfVerdict v = check("192.0.2.1", "", "helo.example");
        assertThat(v.result()).isEqualTo(SpfResult.PASS);
        assertThat(v.identity()).isEqualTo("helo");
        assertThat(v.domain()).isEqualTo("helo.example");
        assertThat(spf.checkHelo(InetAddress.getLoopbackAddress(), "helo.example").toCompletableFuture().join()
                .result()).isEqualTo(SpfResult.FAIL);
    }

    @Test
    void macroTransformersAndEscapes() throws Exception {
        var check = new SpfCheck(InetAddress.getByName("2001:db8::cb01"), "strong-bad@email.example.com",
                "helo.example", "mx.tern.test", Instant.EPOCH);
        var values = new SpfMacros.Values(check, "email.example.com", null);
        // The examples of RFC 7208 §7.4.
        assertThat(SpfMacros.expand("%{s}", values, false)).isEqualTo("strong-bad@email.example.com");
        assertThat(SpfMacros.expand("%{d4}", values, false)).isEqualTo("email.example.com");
        assertThat(SpfMacros.expand("%{d2}", values, false)).isEqualTo("example.com");
        assertThat(SpfMacros.expand("%{d1}", values, false)).isEqualTo("com");
        assertThat(SpfMacros.expand("%{dr}", values, false)).isEqualTo("com.example.email");
        assertThat(SpfMacros.expand("%{d2r}", values, false)).isEqualTo("example.email");
        assertThat(SpfMacros.expand("%{l}", values, false)).isEqualTo("strong-bad");
        assertThat(SpfMacros.expand("%{l-}", values, false)).isEqualTo("strong.bad");
        assertThat(SpfMacros.expand("%{lr-}", values, false)).isEqualTo("bad.strong");
        assertThat(SpfMacros.expand("%{l1r-}", values, false)).isEqualTo("strong");
        assertThat(SpfMacros.expand("%{ir}.%{v}._spf.%{d2}", values, false)).isEqualTo(
                "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
        assertThat(SpfMacros.expand("%{S}", values, false)).isEqualTo("strong-bad%40email.example.com");
        assertThat(SpfMacros.expand("a%-b", values, false)).isEqualTo("a%20b");
    }

    @Test
    void pMacroIsTheValidatedName() {
        zone.txt("p.example", "v=spf1 exists:%{p}.allow.example -all").ptr("192.0.2.5", "mail.p.example")
                .a("mail.p.example", "192.0.2.5").a("mail.p.example.allow.example", "127.0.0.2");
        assertThat(result("192.0.2.5", "x@p.example")).isEqualTo(SpfResult.PASS);
        assertThat(result("192.0.2.6", "x@p.example")).isEqualTo(SpfResult.FAIL);
    }

    @Test
    void explanationOnlyMacrosAreRefusedInDomainSpecs() {
        zone.txt("t.example", "v=spf1 exists:%{t}.example -all");
        assertThat(result("192.0.2.1", "x@t.example")).isEqualTo(SpfResult.PERMERROR);
    }

    @Test
    void aRecordSelectorDecidesWhichRecordsTheEngineEvaluatesIncludesToo() throws Exception {
        zone.txt("sel.example", "v=spf1 -all").txt("sel.example", "x-other include:inc.example -all")
                .txt("inc.example", "v=spf1 -all").txt("inc.example", "x-other ip4:192.0.2.9 -all");
        SpfRecordSelector other = texts -> texts.stream().filter(t -> t.startsWith("x-other")).toList();
        var custom = new SpfChecker(zone, "mx.tern.test", Clock.systemUTC(), other);
        SpfVerdict v = custom.checkIdentity(InetAddress.getByName("192.0.2.9"), "a@sel.example", "h.example", "pra")
                .toCompletableFuture().join();
        assertThat(v.result()).isEqualTo(SpfResult.PASS);
        assertThat(v.identity()).isEqualTo("pra");
        assertThat(v.domain()).isEqualTo("sel.example");
        assertThat(result("192.0.2.9", "a@sel.example")).isEqualTo(SpfResult.FAIL);
    }
}
