package dev.tern.ingress.trust.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.dns.DnsAnswer;
import dev.tern.common.dns.DnsLookup;
import dev.tern.ingress.authres.AuthenticationResults;
import dev.tern.ingress.dkim.DkimResult;
import dev.tern.ingress.trust.spf.SpfResult;
import dev.tern.ingress.trust.spf.SpfVerdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/** The checker's logic over an in-memory zone; DmarcIT runs it against a real DNS server. */
class DmarcCheckerTest {

    private final Map<String, List<Record>> zone = new HashMap<>();
    private final List<String> servfail = new ArrayList<>();
    private final List<String> asked = new ArrayList<>();
    private final DnsLookup dns = (name, type) -> {
        asked.add(name);
        if (servfail.contains(name)) {
            return CompletableFuture.completedFuture(new DnsAnswer(Rcode.SERVFAIL, List.of(), Duration.ZERO));
        }
        List<Record> records = zone.get(name);
        return CompletableFuture.completedFuture(records == null
                ? new DnsAnswer(Rcode.NXDOMAIN, List.of(), Duration.ofMinutes(1))
                : new DnsAnswer(Rcode.NOERROR, records.stream().filter(r -> r.getType() == type).toList(),
                        Duration.ofMinutes(1)));
    };

    private void txt(String name, String text) {
        try {
            zone.computeIfAbsent(name, n -> new ArrayList<>())
                    .add(new TXTRecord(Name.fromString(name + "."), DClass.IN, 60, text));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static SpfVerdict spfPass(String domain) {
        return new SpfVerdict(SpfResult.PASS, "mailfrom", domain, null, null);
    }

    private static DkimResult dkim(DkimResult.Result result, String d) {
        return new DkimResult(result, null, d, "sel", "@" + d, "rsa-sha256", "abcdefgh", false);
    }

    private DmarcVerdict check(DmarcChecker checker, String from, SpfVerdict spf, List<DkimResult> dkim) {
        return checker.check(from, spf, dkim).toCompletableFuture().join();
    }

    @Test
    void relaxedAlignmentAcceptsASubdomainAndStrictDoesNot() {
        txt("_dmarc.example.org", "v=DMARC1; p=reject");
        txt("_dmarc.strict.example", "v=DMARC1; p=reject; adkim=s; aspf=s");
        var checker = new DmarcChecker(dns, () -> 0);
        assertThat(check(checker, "example.org", spfPass("bounce.example.org"), List.of()).spfAligned()).isTrue();
        assertThat(check(checker, "example.org", null, List.of(dkim(DkimResult.Result.PASS, "mail.example.org")))
                .result()).isEqualTo(DmarcResult.PASS);
        DmarcVerdict strict = check(checker, "strict.example", spfPass("bounce.strict.example"),
                List.of(dkim(DkimResult.Result.PASS, "mail.strict.example")));
        assertThat(strict.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(strict.disposition()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(check(checker, "strict.example", spfPass("Strict.Example."), List.of()).result())
                .isEqualTo(DmarcResult.PASS);
    }

    @Test
    void onlyPassesCountAndUnrelatedDomainsNeverAlign() {
        txt("_dmarc.example.org", "v=DMARC1; p=quarantine");
        var checker = new DmarcChecker(dns, () -> 0);
        var spfFail = new SpfVerdict(SpfResult.FAIL, "mailfrom", "example.org", null, null);
        DmarcVerdict v = check(checker, "example.org", spfFail, List.of(dkim(DkimResult.Result.FAIL, "example.org"),
                dkim(DkimResult.Result.PASS, "example.net"), dkim(DkimResult.Result.PASS, "org")));
        assertThat(v.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(v.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(v.spfAligned() || v.dkimAligned()).isFalse();
    }

    @Test
    void pctSamplingAppliesThePolicyBelowThePercentAndTheNextLowerOneAbove() {
        txt("_dmarc.example.org", "v=DMARC1; p=reject; pct=30");
        txt("_dmarc.q.example", "v=DMARC1; p=quarantine; pct=30");
        var draws = new AtomicInteger();
        assertThat(check(new DmarcChecker(dns, () -> { draws.incrementAndGet(); return 29; }), "example.org", null,
                List.of()).disposition()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(check(new DmarcChecker(dns, () -> 30), "example.org", null, List.of()).disposition())
                .isEqualTo(DmarcPolicy.QUARANTINE);
        DmarcVerdict q = check(new DmarcChecker(dns, () -> 99), "q.example", null, List.of());
        assertThat(q.disposition()).isEqualTo(DmarcPolicy.NONE);
        assertThat(q.policy()).isEqualTo(DmarcPolicy.QUARANTINE);
        // A pass is never sampled.
        check(new DmarcChecker(dns, () -> { draws.incrementAndGet(); return 0; }), "example.org",
                spfPass("example.org"), List.of());
        assertThat(draws).hasValue(1);
    }

    @Test
    void aSubdomainFallsBackToTheOrganizationalDomainsRecordAndItsSp() {
        txt("_dmarc.example.org", "v=DMARC1; p=reject; sp=quarantine");
        txt("_dmarc.own.example.org", "v=DMARC1; p=none");
        var checker = new DmarcChecker(dns, () -> 0);
        DmarcVerdict sub = check(checker, "a.b.example.org", null, List.of());
        assertThat(sub.policyDomain()).isEqualTo("example.org");
        assertThat(sub.policy()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(asked).containsExactly("_dmarc.a.b.example.org", "_dmarc.example.org");
        DmarcVerdict own = check(checker, "own.example.org", null, List.of());
        assertThat(own.policyDomain()).isEqualTo("own.example.org");
        assertThat(own.disposition()).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void noRecordSeveralRecordsAndUnusableRecordsMeanNone() {
        txt("_dmarc.example.org", "v=spf1 -all");
        txt("_dmarc.twice.example", "v=DMARC1; p=reject");
        txt("_dmarc.twice.example", "v=DMARC1; p=none");
        txt("_dmarc.bad.example", "v=DMARC1; p=bogus");
        txt("_dmarc.rua.example", "v=DMARC1; p=bogus; rua=mailto:d@rua.example");
        var checker = new DmarcChecker(dns, () -> 0);
        assertThat(check(checker, "example.org", null, List.of()).result()).isEqualTo(DmarcResult.NONE);
        DmarcVerdict twice = check(checker, "twice.example", null, List.of());
        assertThat(twice.result()).isEqualTo(DmarcResult.NONE);
        assertThat(twice.problem()).contains("2 DMARC records");
        assertThat(check(checker, "bad.example", null, List.of()).result()).isEqualTo(DmarcResult.NONE);
        DmarcVerdict rua = check(checker, "rua.example", null, List.of());
        assertThat(rua.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(rua.disposition()).isEqualTo(DmarcPolicy.NONE);
        assertThat(rua.problem()).contains("read as p=none");
    }

    @Test
    void aDnsFailureIsATemperrorNotAMissingRecord() {
        servfail.add("_dmarc.example.org");
        // The From domain has no record, and its Organizational Domain's lookup fails.
        servfail.add("_dmarc.org.example");
        var checker = new DmarcChecker(dns, () -> 0);
        DmarcVerdict v = check(checker, "example.org", null, List.of());
        assertThat(v.result()).isEqualTo(DmarcResult.TEMPERROR);
        assertThat(v.problem()).contains("SERVFAIL");
        assertThat(check(checker, "sub.org.example", null, List.of()).result()).isEqualTo(DmarcResult.TEMPERROR);
        DnsLookup down = (name, type) -> CompletableFuture.failedFuture(new java.io.IOException("timed out"));
        assertThat(check(new DmarcChecker(down), "example.org", null, List.of()).result())
                .isEqualTo(DmarcResult.TEMPERROR);
    }

    @Test
    void severalFromDomainsGiveTheStrictestVerdictAndABadFromAPermerror() {
        txt("_dmarc.example.org", "v=DMARC1; p=reject");
        txt("_dmarc.q.example", "v=DMARC1; p=quarantine");
        var checker = new DmarcChecker(dns, () -> 0);
        var from = FromHeader.of("From: a@example.org, b@q.example\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        DmarcVerdict v = checker.check(from, spfPass("example.org"), List.of()).toCompletableFuture().join();
        assertThat(v.fromDomain()).isEqualTo("q.example");
        assertThat(v.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
        var none = FromHeader.of("Subject: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        DmarcVerdict bad = checker.check(none, null, List.of()).toCompletableFuture().join();
        assertThat(bad.result()).isEqualTo(DmarcResult.PERMERROR);
        assertThat(bad.problem()).contains("no From");
        assertThat(check(checker, "not_a..domain", null, List.of()).result()).isEqualTo(DmarcResult.PERMERROR);
    }

    @Test
    void theAuthenticationResultsEntryShowsPolicyAndDisposition() {
        txt("_dmarc.example.org", "v=DMARC1; p=reject; pct=50");
        DmarcVerdict v = check(new DmarcChecker(dns, () -> 60), "example.org", null, List.of());
        assertThat(AuthenticationResults.value("mx.test", List.of(v.methodResult())))
                .isEqualTo("mx.test;\r\n\tdmarc=fail (p=reject dis=quarantine) header.from=example.org");
        DmarcVerdict none = check(new DmarcChecker(dns), "nothing.example", null, List.of());
        assertThat(AuthenticationResults.value("mx.test", List.of(none.methodResult())))
                .isEqualTo("mx.test;\r\n\tdmarc=none header.from=nothing.example");
    }
}
