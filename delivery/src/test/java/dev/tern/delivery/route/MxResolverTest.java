package dev.tern.delivery.route;

import dev.tern.common.dns.DnsAnswer;
import dev.tern.common.dns.DnsLookup;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

class MxResolverTest {

    private final FakeDns dns = new FakeDns();

    private MxResolver.Resolution resolve(String domain, long seed) {
        return new MxResolver(dns, new Random(seed), 25).resolve(domain).toCompletableFuture().join();
    }

    @Test
    void triesMxHostsInPreferenceOrder() {
        dns.mx("example.com", 20, "backup.example.com").mx("example.com", 10, "primary.example.com")
                .a("primary.example.com", "192.0.2.1").a("backup.example.com", "192.0.2.2");
        var r = resolve("example.com", 1);
        assertThat(r.failure()).isNull();
        assertThat(r.hops()).extracting(NextHop::host).containsExactly("primary.example.com", "backup.example.com");
        assertThat(r.hops()).extracting(NextHop::address).containsExactly("192.0.2.1", "192.0.2.2");
    }

    @Test
    void shufflesHostsOfEqualPreference() {
        dns.mx("example.com", 10, "a.example.com").mx("example.com", 10, "b.example.com")
                .mx("example.com", 10, "c.example.com").mx("example.com", 50, "z.example.com")
                .a("a.example.com", "192.0.2.1").a("b.example.com", "192.0.2.2").a("c.example.com", "192.0.2.3")
                .a("z.example.com", "192.0.2.9");
        var firsts = new HashSet<String>();
        for (long seed = 0; seed < 30; seed++) {
            var hops = resolve("example.com", seed).hops();
            firsts.add(hops.get(0).host());
            assertThat(hops.get(3).host()).isEqualTo("z.example.com");
        }
        assertThat(firsts).containsExactlyInAnyOrder("a.example.com", "b.example.com", "c.example.com");
    }

    @Test
    void looksUpAnInternationalizedDomainByItsALabels() {
        dns.mx("xn--bcher-kva.example", 10, "mx.xn--bcher-kva.example").a("mx.xn--bcher-kva.example", "192.0.2.5");
        var r = resolve("bücher.example", 1);
        assertThat(r.failure()).isNull();
        assertThat(r.hops()).extracting(NextHop::address).containsExactly("192.0.2.5");
    }

    @Test
    void anUnencodableDomainFailsPermanently() {
        var r = resolve("a".repeat(64) + "ü.example", 1);
        assertThat(r.failure().code()).isEqualTo(550);
        assertThat(r.failure().status()).hasToString("5.1.2");
    }

    @Test
    void fallsBackToTheDomainsAddressWithoutMx() {
        dns.a("example.com", "192.0.2.7");
        var r = resolve("example.com", 1);
        assertThat(r.hops()).containsExactly(new NextHop("example.com", "192.0.2.7", 25));
    }

    @Test
    void nullMxRejectsWith5110() {
        dns.mx("example.com", 0, ".");
        var r = resolve("example.com", 1);
        assertThat(r.failure().code()).isEqualTo(556);
        assertThat(r.failure().status()).hasToString("5.1.10");
    }

    @Test
    void nonexistentDomainRejectsWith512() {
        var r = resolve("nowhere.example", 1);
        assertThat(r.failure().code()).isEqualTo(550);
        assertThat(r.failure().status()).hasToString("5.1.2");
    }

    @Test
    void serverFailureDefersWith443() {
        dns.rcode("broken.example", Rcode.SERVFAIL);
        var r = resolve("broken.example", 1);
        assertThat(r.failure().code()).isEqualTo(451);
        assertThat(r.failure().status()).hasToString("4.4.3");
    }

    @Test
    void timeoutDefersWith443() {
        dns.timeout("slow.example");
        var r = resolve("slow.example", 1);
        assertThat(r.failure().isTransientFailure()).isTrue();
        assertThat(r.failure().status()).hasToString("4.4.3");
    }

    @Test
    void mxHostsWithoutAddressesDefer() {
        dns.mx("example.com", 10, "gone.example.com").timeout("gone.example.com");
        var r = resolve("example.com", 1);
        assertThat(r.failure().status()).hasToString("4.4.3");
    }

    @Test
    void existingDomainWithoutMxOrAddressRejects() {
        dns.exists("example.com");
        var r = resolve("example.com", 1);
        assertThat(r.failure().code()).isEqualTo(550);
    }

    @Test
    void skipsMxHostsThatDoNotResolve() {
        dns.mx("example.com", 10, "dead.example.com").mx("example.com", 20, "live.example.com")
                .a("live.example.com", "192.0.2.5");
        assertThat(resolve("example.com", 1).hops()).extracting(NextHop::host).isEqualTo(List.of("live.example.com"));
    }
}
