package dev.tern.ingress.trust.senderid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.dns.CachingDnsLookup;
import dev.tern.common.dns.DnsjavaLookup;
import dev.tern.ingress.authres.AuthenticationResults;
import dev.tern.ingress.trust.spf.SpfResult;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.dns.KnotDns;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sender ID on a real DNS server (Knot DNS on loopback) through the production resolver stack.
 * Each domain publishes a {@code v=spf1} record that disagrees with its {@code spf2.0} record where
 * both exist, so the result shows which one was evaluated.
 */
class SenderIdIT {

    private static final String ZONE = """
            pra TXT "spf2.0/pra ip4:192.0.2.1 -all"
            pra TXT "v=spf1 -all"
            both TXT "spf2.0/mfrom,pra include:inc.senderid.test -all"
            both TXT "v=spf1 -all"
            inc TXT "spf2.0/pra ip4:192.0.2.2 -all"
            inc TXT "v=spf1 -all"
            spf1only TXT "v=spf1 ip4:192.0.2.1 -all"
            mfromonly TXT "spf2.0/mfrom -all"
            mfromonly TXT "v=spf1 ip4:192.0.2.1 -all"
            twice TXT "spf2.0/pra +all"
            twice TXT "spf2.0/pra,mfrom -all"
            """;

    static KnotDns knot;
    static SenderIdChecker checker;

    @BeforeAll
    static void start() {
        knot = KnotDns.builder().zone("senderid.test", ZONE).servfail("broken.test").start();
        var dns = new CachingDnsLookup(new DnsjavaLookup(List.of(new InetSocketAddress(FreePorts.LOOPBACK,
                knot.port())), Duration.ofSeconds(2)), Duration.ofHours(1), Clock.systemUTC());
        checker = new SenderIdChecker(dns, "mx.tern.test", Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (knot != null) {
            knot.close();
        }
    }

    private static SenderIdVerdict check(String ip, String header) throws Exception {
        byte[] message = (header + "Subject: Sender ID\r\n\r\nHello.\r\n").getBytes(StandardCharsets.UTF_8);
        return checker.check(InetAddress.getByName(ip), message, "client.test").toCompletableFuture().join();
    }

    @Test
    void aPraRecordPassesAndFailsOverTheSpf1Record() throws Exception {
        SenderIdVerdict pass = check("192.0.2.1", "From: Alice <alice@pra.senderid.test>\r\n");
        assertThat(pass.result()).isEqualTo(SpfResult.PASS);
        assertThat(AuthenticationResults.value("mx.tern.test", List.of(pass.methodResult())))
                .isEqualTo("mx.tern.test;\r\n\tsender-id=pass header.from=alice@pra.senderid.test");
        assertThat(check("192.0.2.99", "From: alice@pra.senderid.test\r\n").result()).isEqualTo(SpfResult.FAIL);
    }

    @Test
    void aMultiScopeRecordAndItsIncludesUseThePraRecords() throws Exception {
        assertThat(check("192.0.2.2", "From: alice@both.senderid.test\r\n").result()).isEqualTo(SpfResult.PASS);
        assertThat(check("192.0.2.1", "From: alice@both.senderid.test\r\n").result()).isEqualTo(SpfResult.FAIL);
    }

    @Test
    void withoutAPraRecordTheSpf1RecordDecides() throws Exception {
        assertThat(check("192.0.2.1", "From: alice@spf1only.senderid.test\r\n").result()).isEqualTo(SpfResult.PASS);
        assertThat(check("192.0.2.99", "From: alice@spf1only.senderid.test\r\n").result()).isEqualTo(SpfResult.FAIL);
        assertThat(check("192.0.2.1", "From: alice@mfromonly.senderid.test\r\n").result()).isEqualTo(SpfResult.PASS);
        assertThat(check("192.0.2.1", "From: alice@nothing.senderid.test\r\n").result()).isEqualTo(SpfResult.NONE);
    }

    @Test
    void theSenderFieldIsThePraWhenPresent() throws Exception {
        SenderIdVerdict v = check("192.0.2.1", "From: alice@spf1only.senderid.test\r\n"
                + "Sender: list@pra.senderid.test\r\n");
        assertThat(v.result()).isEqualTo(SpfResult.PASS);
        assertThat(v.field()).isEqualTo("sender");
        assertThat(v.pra()).isEqualTo("list@pra.senderid.test");
        assertThat(check("192.0.2.1", "From: alice@pra.senderid.test\r\nSender: list@spf1only.senderid.test\r\n"
                + "Resent-From: fwd@mfromonly.senderid.test\r\n").field()).isEqualTo("resent-from");
    }

    @Test
    void errorsAreKeptApart() throws Exception {
        assertThat(check("192.0.2.1", "From: alice@twice.senderid.test\r\n").result())
                .isEqualTo(SpfResult.PERMERROR);
        assertThat(check("192.0.2.1", "From: alice@broken.test\r\n").result()).isEqualTo(SpfResult.TEMPERROR);
        SenderIdVerdict noPra = check("192.0.2.1", "To: bob@example.net\r\n");
        assertThat(noPra.result()).isEqualTo(SpfResult.PERMERROR);
        assertThat(noPra.problem()).contains("RFC 4407");
    }
}
