package dev.tern.common.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.dns.KnotDns;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The shared resolver against a real authoritative server (Knot DNS) and a server that never answers. */
class DnsjavaLookupIT {

    static KnotDns knot;
    static DnsjavaLookup dns;

    @BeforeAll
    static void start() {
        knot = KnotDns.builder()
                .zone("dns.test", """
                        txt TXT "v=spf1 " "ip4:192.0.2.1 -all"
                        host A 192.0.2.1
                        host AAAA 2001:db8::1
                        mail MX 10 host
                        """)
                .zone("2.0.192.in-addr.arpa", "1 PTR host.dns.test.")
                .servfail("broken.test")
                .start();
        dns = new DnsjavaLookup(List.of(new InetSocketAddress("127.0.0.1", knot.port())), Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        knot.close();
    }

    private static DnsAnswer ask(String name, int type) {
        return dns.query(name, type).toCompletableFuture().join();
    }

    @Test
    void readsEveryRecordTypeSpfNeeds() {
        assertThat(((TXTRecord) ask("txt.dns.test", Type.TXT).records().get(0)).getStrings())
                .containsExactly("v=spf1 ", "ip4:192.0.2.1 -all");
        assertThat(ask("host.dns.test", Type.A).records()).extracting(Record::rdataToString).containsExactly("192.0.2.1");
        assertThat(ask("host.dns.test", Type.AAAA).records()).extracting(Record::rdataToString)
                .containsExactly("2001:db8:0:0:0:0:0:1");
        assertThat(((MXRecord) ask("mail.dns.test", Type.MX).records().get(0)).getTarget().toString())
                .isEqualTo("host.dns.test.");
        assertThat(((PTRRecord) ask("1.2.0.192.in-addr.arpa", Type.PTR).records().get(0)).getTarget().toString())
                .isEqualTo("host.dns.test.");
    }

    @Test
    void negativeAnswersCarryTheSoaMinimum() {
        DnsAnswer missing = ask("missing.dns.test", Type.TXT);
        assertThat(missing.nxdomain()).isTrue();
        assertThat(missing.ttl()).isEqualTo(Duration.ofSeconds(5));
        DnsAnswer noData = ask("host.dns.test", Type.TXT);
        assertThat(noData.ok()).isTrue();
        assertThat(noData.records()).isEmpty();
        assertThat(noData.temporaryFailure()).isFalse();
    }

    @Test
    void servfailIsATemporaryFailure() {
        DnsAnswer broken = ask("any.broken.test", Type.TXT);
        assertThat(broken.temporaryFailure()).isTrue();
        assertThat(broken.nxdomain()).isFalse();
    }

    @Test
    void aServerThatNeverAnswersFailsTheStage() throws Exception {
        try (var silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            var deaf = new DnsjavaLookup(List.of((InetSocketAddress) silent.getLocalSocketAddress()),
                    Duration.ofMillis(500));
            Throwable error = deaf.query("host.dns.test", Type.A).toCompletableFuture()
                    .handle((answer, e) -> e).join();
            assertThat(error).isNotNull();
            assertThat(error instanceof CompletionException ? error.getCause() : error)
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }
}
