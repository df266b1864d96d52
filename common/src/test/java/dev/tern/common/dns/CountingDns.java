package dev.tern.common.dns;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Rcode;

/**
 * A {@link DnsLookup} that answers every question with one chosen outcome and counts the
 * questions, for the cache's tests.
 */
final class CountingDns implements DnsLookup {

    final AtomicInteger queries = new AtomicInteger();
    private volatile int rcode = Rcode.NOERROR;
    private volatile Duration ttl = Duration.ofSeconds(300);
    private volatile boolean timeout;

    CountingDns answering(int rcode, Duration ttl) {
        this.rcode = rcode;
        this.ttl = ttl;
        return this;
    }

    CountingDns timingOut() {
        timeout = true;
        return this;
    }

    @Override
    public CompletionStage<DnsAnswer> query(String name, int type) {
        queries.incrementAndGet();
        if (timeout) {
            return CompletableFuture.failedFuture(new TimeoutException("Timed out while trying to resolve " + name));
        }
        return CompletableFuture.completedFuture(new DnsAnswer(rcode, List.of(), ttl));
    }
}
