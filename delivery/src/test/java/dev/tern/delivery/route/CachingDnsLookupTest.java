package dev.tern.delivery.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.MutableClock;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class CachingDnsLookupTest {

    private final FakeDns dns = new FakeDns().mx("example.com", 10, "mx.example.com");
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
    void doesNotCacheFailedLookups() {
        dns.timeout("slow.example");
        cache.query("slow.example", Type.MX).toCompletableFuture().handle((a, e) -> e).join();
        cache.query("slow.example", Type.MX).toCompletableFuture().handle((a, e) -> e).join();
        assertThat(dns.queries).hasValue(2);
    }
}
