package dev.tern.ingress.trust.recipients;

import dev.tern.common.infinispan.ServerCache;
import dev.tern.common.policy.Transport;
import dev.tern.smtp.address.Mailbox;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.infinispan.client.hotrod.RemoteCacheManager;

/**
 * {@link CalloutCache} in one Infinispan cache shared by every ingress pod: value the verdict's
 * name, Hot Rod lifespan the policy's {@code cache} or {@code negative-cache} duration, so the
 * server forgets verdicts by itself. The cache is created when missing and again when the server
 * lost it ({@link ServerCache}).
 *
 * <p>Every request is also bounded by {@code requestTimeout}: an Infinispan that is down or slow
 * must cost a RCPT no more than that before the caller falls back to calling out. Thread-safe and
 * non-blocking; failures and timeouts complete the stages exceptionally.
 */
public final class InfinispanCalloutCache implements CalloutCache {

    /** Default cache name; one per installation. */
    public static final String CACHE = "tern-recipient-callout";

    private final ServerCache cache;
    private final Duration requestTimeout;

    public InfinispanCalloutCache(RemoteCacheManager manager, String cacheName, Duration requestTimeout) {
        this.cache = new ServerCache(manager, cacheName);
        this.requestTimeout = requestTimeout;
    }

    @Override
    public CompletionStage<Optional<CalloutVerdict>> get(Mailbox recipient, Transport server) {
        String key = CalloutCache.key(recipient, server);
        return bounded(cache.call(c -> c.getAsync(key)).thenApply(InfinispanCalloutCache::decode));
    }

    @Override
    public CompletionStage<Void> put(Mailbox recipient, Transport server, CalloutVerdict verdict, Duration lifespan) {
        if (!verdict.cacheable()) {
            return CompletableFuture.completedFuture(null);
        }
        String key = CalloutCache.key(recipient, server);
        long ms = Math.max(1, lifespan.toMillis());
        return bounded(cache.call(c -> c.putAsync(key, verdict.name(), ms, TimeUnit.MILLISECONDS)))
                .thenApply(previous -> null);
    }

    /** Hot Rod requests sent so far, for a metric. */
    public long requests() {
        return cache.requests();
    }

    private <T> CompletionStage<T> bounded(CompletionStage<T> stage) {
        return stage.toCompletableFuture().copy().orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A value this version does not know (written by a newer one) is a miss, not an error. */
    private static Optional<CalloutVerdict> decode(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            CalloutVerdict v = CalloutVerdict.valueOf(value);
            return v.cacheable() ? Optional.of(v) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
