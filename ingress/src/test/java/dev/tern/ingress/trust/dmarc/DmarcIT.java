package dev.tern.ingress.trust.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.dkim.DkimKey;
import dev.tern.common.dns.CachingDnsLookup;
import dev.tern.common.dns.DnsAnswer;
import dev.tern.common.dns.DnsLookup;
import dev.tern.common.dns.DnsjavaLookup;
import dev.tern.ingress.dkim.DkimKeyRecords;
import dev.tern.ingress.dkim.DkimResult;
import dev.tern.ingress.dkim.DkimSigner;
import dev.tern.ingress.dkim.DkimVerifier;
import dev.tern.ingress.trust.spf.SpfChecker;
import dev.tern.ingress.trust.spf.SpfResult;
import dev.tern.ingress.trust.spf.SpfVerdict;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.dns.KnotDns;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * DMARC end to end on one real DNS server (Knot DNS on loopback): SPF by {@link SpfChecker} and
 * DKIM signatures made by {@link DkimSigner} and verified by {@link DkimVerifier}, both over the
 * production resolver stack (dnsjava, cache), feed {@link DmarcChecker}, which finds the policy in
 * the same zones. Every zone is one organization (the {@code .test} TLD is not on the Public
 * Suffix List, so it is a one-label suffix); {@code example.co.uk} and {@code other.co.uk} test the
 * list's boundary.
 */
class DmarcIT {

    private static final String GOOD_IP = "192.0.2.1";
    private static final String BAD_IP = "192.0.2.99";

    static KnotDns knot;
    static DnsLookup dns;
    static SpfChecker spf;
    static DkimVerifier dkim;
    static DmarcChecker dmarc;
    static KeyPair pair;

    @BeforeAll
    static void start() throws Exception {
        pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String spfPass = "TXT \"v=spf1 ip4:" + GOOD_IP + " -all\"\n";
        String keyTxt = "TXT \"" + keyRecord() + "\"\n";
        String key = "sel._domainkey " + keyTxt;
        knot = KnotDns.builder()
                .zone("aligned.test", "@ " + spfPass + "bounce " + spfPass + key + "sel._domainkey.mail " + keyTxt
                        + "_dmarc TXT \"v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@aligned.test\"")
                .zone("quarantine.test", "@ " + spfPass + "_dmarc TXT \"v=DMARC1; p=quarantine\"")
                .zone("monitor.test", "@ " + spfPass + "_dmarc TXT \"v=DMARC1; p=none\"")
                .zone("strict.test", "@ " + spfPass + "bounce " + spfPass + key + "sel._domainkey.mail " + keyTxt
                        + "_dmarc TXT \"v=DMARC1; p=reject; adkim=s; aspf=s\"")
                .zone("elsewhere.test", "@ " + spfPass + key)
                .zone("twice.test", "@ " + spfPass + "_dmarc TXT \"v=DMARC1; p=reject\"\n"
                        + "_dmarc TXT \"v=DMARC1; p=none\"")
                .zone("example.co.uk", "@ " + spfPass + key + "_dmarc TXT \"v=DMARC1; p=reject\"")
                .zone("other.co.uk", "@ " + spfPass + key + "_dmarc TXT \"v=DMARC1; p=none\"")
                .servfail("broken.test")
                .start();
        dns = new CachingDnsLookup(new DnsjavaLookup(List.of(new InetSocketAddress(FreePorts.LOOPBACK, knot.port())),
                Duration.ofSeconds(2)), Duration.ofHours(1), Clock.systemUTC());
        spf = new SpfChecker(dns, "mx.tern.test", Clock.systemUTC());
        dkim = new DkimVerifier(DmarcIT::keyLookup, Clock.systemUTC(), DkimVerifier.DEFAULT_CLOCK_SKEW);
        // Always sampled: the pct cases are DmarcCheckerTest's.
        dmarc = new DmarcChecker(dns, () -> 0);
    }

    @AfterAll
    static void stop() {
        if (knot != null) {
            knot.close();
        }
    }

    private static String keyRecord() {
        byte[] encoded = pair.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(raw);
    }

    /** DKIM keys from the same DNS server, through the same resolver. */
    private static java.util.concurrent.CompletionStage<DkimKeyRecords.KeyLookup> keyLookup(String name) {
        return dns.query(name, Type.TXT).<DkimKeyRecords.KeyLookup>handle((DnsAnswer answer, Throwable error) -> {
            if (error != null || answer.temporaryFailure()) {
                return new DkimKeyRecords.TemporaryFailure(String.valueOf(error));
            }
            var records = new ArrayList<String>();
            answer.records().forEach(r -> records.add(String.join("", ((TXTRecord) r).getStrings())));
            return records.isEmpty() ? new DkimKeyRecords.None() : new DkimKeyRecords.Found(records);
        });
    }

    /** One message through SPF, DKIM and DMARC; {@code signingDomain} null sends it unsigned. */
    private static Outcome deliver(String ip, String mailFrom, String from, String signingDomain) throws Exception {
        byte[] message = ("From: Alice <alice@" + from + ">\r\nTo: bob@example.net\r\nSubject: DMARC\r\n"
                + "Date: Thu, 03 Dec 2026 12:00:00 +0000\r\nMessage-ID: <1@" + from + ">\r\n\r\nHello.\r\n")
                .getBytes(StandardCharsets.UTF_8);
        if (signingDomain != null) {
            var signer = new DkimKey(signingDomain, "sel", pair.getPrivate(), DkimKey.Algorithm.ED25519);
            String field = DkimSigner.sign(message, signer, Clock.systemUTC().instant());
            byte[] header = field.getBytes(StandardCharsets.US_ASCII);
            byte[] signed = Arrays.copyOf(header, header.length + message.length);
            System.arraycopy(message, 0, signed, header.length, message.length);
            message = signed;
        }
        SpfVerdict spfVerdict = spf.checkMailFrom(InetAddress.getByName(ip), mailFrom, "client.test")
                .toCompletableFuture().join();
        List<DkimResult> dkimResults = dkim.verify(message).toCompletableFuture().join();
        if (signingDomain != null) {
            // The signatures are real: a DMARC pass below is no accident of a skipped check.
            assertThat(dkimResults).extracting(DkimResult::result).containsExactly(DkimResult.Result.PASS);
        }
        DmarcVerdict verdict = dmarc.check(FromHeader.of(message), spfVerdict, dkimResults).toCompletableFuture()
                .join();
        return new Outcome(spfVerdict.result(), verdict);
    }

    private record Outcome(SpfResult spf, DmarcVerdict dmarc) {
    }

    @Test
    void anAlignedSpfPassPasses() throws Exception {
        Outcome o = deliver(GOOD_IP, "bounce@bounce.aligned.test", "aligned.test", null);
        assertThat(o.spf()).isEqualTo(SpfResult.PASS);
        assertThat(o.dmarc().result()).isEqualTo(DmarcResult.PASS);
        assertThat(o.dmarc().spfAligned()).isTrue();
        assertThat(o.dmarc().policy()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(o.dmarc().disposition()).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void anAlignedDkimPassPassesDespiteAForeignSpfPass() throws Exception {
        Outcome o = deliver(GOOD_IP, "list@elsewhere.test", "aligned.test", "mail.aligned.test");
        assertThat(o.spf()).isEqualTo(SpfResult.PASS);
        assertThat(o.dmarc().result()).isEqualTo(DmarcResult.PASS);
        assertThat(o.dmarc().dkimAligned()).isTrue();
        assertThat(o.dmarc().spfAligned()).isFalse();
    }

    @Test
    void unalignedPassesFailUnderPReject() throws Exception {
        Outcome o = deliver(GOOD_IP, "list@elsewhere.test", "aligned.test", "elsewhere.test");
        assertThat(o.spf()).isEqualTo(SpfResult.PASS);
        assertThat(o.dmarc().result()).isEqualTo(DmarcResult.FAIL);
        assertThat(o.dmarc().disposition()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(o.dmarc().methodResult().comment()).isEqualTo("p=reject dis=reject");
    }

    @Test
    void anSpfFailFailsUnderPQuarantineAndPNone() throws Exception {
        Outcome q = deliver(BAD_IP, "alice@quarantine.test", "quarantine.test", null);
        assertThat(q.spf()).isEqualTo(SpfResult.FAIL);
        assertThat(q.dmarc().result()).isEqualTo(DmarcResult.FAIL);
        assertThat(q.dmarc().disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
        Outcome n = deliver(BAD_IP, "alice@monitor.test", "monitor.test", null);
        assertThat(n.dmarc().result()).isEqualTo(DmarcResult.FAIL);
        assertThat(n.dmarc().disposition()).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void aSubdomainWithoutARecordGetsTheOrganizationalDomainsSp() throws Exception {
        Outcome o = deliver(BAD_IP, "alice@aligned.test", "news.aligned.test", null);
        assertThat(o.dmarc().result()).isEqualTo(DmarcResult.FAIL);
        assertThat(o.dmarc().policyDomain()).isEqualTo("aligned.test");
        assertThat(o.dmarc().disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
        Outcome pass = deliver(GOOD_IP, "bounce@bounce.aligned.test", "news.aligned.test", null);
        assertThat(pass.dmarc().result()).isEqualTo(DmarcResult.PASS);
    }

    @Test
    void strictAlignmentWantsTheExactDomain() throws Exception {
        Outcome subdomains = deliver(GOOD_IP, "bounce@bounce.strict.test", "strict.test", "mail.strict.test");
        assertThat(subdomains.spf()).isEqualTo(SpfResult.PASS);
        assertThat(subdomains.dmarc().result()).isEqualTo(DmarcResult.FAIL);
        assertThat(subdomains.dmarc().disposition()).isEqualTo(DmarcPolicy.REJECT);
        Outcome exactDkim = deliver(BAD_IP, "bounce@bounce.strict.test", "strict.test", "strict.test");
        assertThat(exactDkim.dmarc().result()).isEqualTo(DmarcResult.PASS);
        assertThat(exactDkim.dmarc().dkimAligned()).isTrue();
        Outcome exactSpf = deliver(GOOD_IP, "alice@strict.test", "strict.test", null);
        assertThat(exactSpf.dmarc().result()).isEqualTo(DmarcResult.PASS);
        assertThat(exactSpf.dmarc().spfAligned()).isTrue();
    }

    @Test
    void twoRegistrableDomainsUnderOnePublicSuffixDoNotAlign() throws Exception {
        Outcome foreign = deliver(GOOD_IP, "x@other.co.uk", "mail.example.co.uk", "other.co.uk");
        assertThat(foreign.spf()).isEqualTo(SpfResult.PASS);
        assertThat(foreign.dmarc().result()).isEqualTo(DmarcResult.FAIL);
        assertThat(foreign.dmarc().policyDomain()).isEqualTo("example.co.uk");
        assertThat(foreign.dmarc().disposition()).isEqualTo(DmarcPolicy.REJECT);
        Outcome own = deliver(BAD_IP, "x@other.co.uk", "mail.example.co.uk", "example.co.uk");
        assertThat(own.dmarc().result()).isEqualTo(DmarcResult.PASS);
    }

    @Test
    void severalRecordsMeanNoPolicy() throws Exception {
        Outcome o = deliver(BAD_IP, "alice@twice.test", "twice.test", null);
        assertThat(o.dmarc().result()).isEqualTo(DmarcResult.NONE);
        assertThat(o.dmarc().disposition()).isEqualTo(DmarcPolicy.NONE);
        assertThat(o.dmarc().problem()).contains("2 DMARC records");
    }

    @Test
    void aServerFailureIsATemperror() throws Exception {
        Outcome o = deliver(GOOD_IP, "bounce@bounce.aligned.test", "broken.test", null);
        assertThat(o.dmarc().result()).isEqualTo(DmarcResult.TEMPERROR);
        assertThat(o.dmarc().problem()).contains("SERVFAIL");
    }

    @Test
    void anUnreachableServerIsATemperror() {
        // A loopback port nobody listens on: the query fails (port unreachable or timeout), never "no record".
        var nowhere = new DnsjavaLookup(List.of(new InetSocketAddress(FreePorts.LOOPBACK, FreePorts.pick())),
                Duration.ofMillis(500));
        var spfPass = new SpfVerdict(SpfResult.PASS, "mailfrom", "aligned.test", null, null);
        DmarcVerdict v = new DmarcChecker(nowhere, () -> 0).check("aligned.test", spfPass, List.of())
                .toCompletableFuture().join();
        assertThat(v.result()).isEqualTo(DmarcResult.TEMPERROR);
        assertThat(v.disposition()).isEqualTo(DmarcPolicy.NONE);
    }
}
