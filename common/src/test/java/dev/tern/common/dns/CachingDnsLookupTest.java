package dev.tern.common.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class CachingDnsLookupTest {

    private final CountingDns dns = new CountingDns();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final CachingDnsLookup cache = new CachingDnsLookup(dns, Duration.ofHours(1), clock);

    @Test
    void answersFromCacheWithinTheTtl() {
        cache.query("example.com", Type.MX).toCompletableFuture().join();
        clock.advance(Duration.ofSeconds(299));
        cache.query("EXAMPLE.com", Type.MX).toCompletableFuture().join();
        assertThat(dns.queries).hasValue(1);
    }

    @Test
    void asksAgainAfterTheTtl() {
        cache.query("example.com", Type.MX).toCompletableFuture().join();
        clock.advance(Duration.ofSeconds(301));
        cache.query("example.com", Type.MX).toCompletableFuture().join();
        assertThat(dns.queries).hasValue(2);
    }

    @Test
    void cachesNegativeAnswersForTheirSoaMinimum() {
        dns.answering(Rcode.NXDOMAIN, Duration.ofSeconds(30));
        cache.query("gone.example", Type.TXT).toCompletableFuture().join();
        clock.advance(Duration.ofSeconds(29));
        assertThat(cache.query("gone.example", Type.TXT).toCompletableFuture().join().nxdomain()).isTrue();
        assertThat(dns.queries).hasValue(1);
        clock.advance(Duration.ofSeconds(2));
        cache.query("gone.example", Type.TXT).toCompletableFuture().join();
        assertThat(dns.queries).hasValue(2);
    }

    @Test
    void capsTheTtl() {
        dns.answering(Rcode.NOERROR, Duration.ofDays(2));
        cache.query("example.com", Type.A).toCompletableFuture().join();
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        cache.query("example.com", Type.A).toCompletableFuture().join();
        assertThat(dns.queries).hasValue(2);
    }

    @Test
    void doesNotCacheFailedLookups() {
        dns.timingOut();
        cache.query("slow.example", Type.MX).toCompletableFuture().handle((a, e) -> e).join();
        cache.query("slow.example", Type.MX).toCompletableFuture().handle((a, e) -> e).join();
        assertThat(dns.queries).hasValue(2);
    }

    @Test
    void doesNotCacheServfail() {
        dns.answering(Rcode.SERVFAIL, Duration.ofMinutes(5));
        assertThat(cache.query("broken.example", Type.TXT).toCompletableFuture().join().temporaryFailure()).isTrue();
        cache.query("broken.example", Type.TXT).toCompletableFuture().join();
        assertThat(dns.queries).hasValue(2);
    }
}
