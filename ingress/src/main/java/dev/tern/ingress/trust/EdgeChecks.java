package dev.tern.ingress.trust;

import dev.tern.common.dns.DnsLookup;
import dev.tern.ingress.dkim.DkimVerifier;
import dev.tern.ingress.dkim.DnsDkimKeyRecords;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.trust.dmarc.DmarcChecker;
import dev.tern.ingress.trust.dnsbl.DnsblChecker;
import dev.tern.ingress.trust.greylist.Greylist;
import dev.tern.ingress.trust.greylist.InfinispanGreylistStore;
import dev.tern.ingress.trust.recipients.CalloutCache;
import dev.tern.ingress.trust.recipients.CalloutVerdict;
import dev.tern.ingress.trust.recipients.InfinispanCalloutCache;
import dev.tern.ingress.trust.recipients.RecipientCallout;
import dev.tern.ingress.trust.recipients.RecipientValidator;
import dev.tern.ingress.trust.recipients.RecipientsFileWatcher;
import dev.tern.ingress.trust.senderid.SenderIdChecker;
import dev.tern.ingress.trust.spf.SpfChecker;
import dev.tern.common.policy.Transport;
import dev.tern.smtp.address.Mailbox;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.infinispan.client.hotrod.RemoteCacheManager;

/**
 * The inbound checks one ingress process runs, built once at start over the shared resolver
 * (docs/ARCHITECTURE.md, "Edge checks"); the policy's {@code checks} section and
 * {@code relay.recipients}/{@code relay.recipient-callout}, read per decision, say which apply.
 * What lives in Infinispan (greylisting triplets, callout verdicts) is opened on first use, so
 * an ingress that uses neither never connects there.
 *
 * @param recipientsFiles the recipients files in force; watch the configured one at start, so a
 *                        bad file stops the start
 */
public record EdgeChecks(SenderChecks sender, RecipientChecks recipient, MessageChecks message,
        RecipientsFileWatcher recipientsFiles) {

    /** How long greylisting and the callout cache wait for Infinispan before going on without it. */
    private static final Duration INFINISPAN_WAIT = Duration.ofSeconds(2);
    /** Callouts hold a thread each for up to their timeout; bounded so a slow server cannot take them all. */
    private static final int CALLOUT_THREADS = 16;

    /**
     * @param hostname   this host's name: SPF's {@code %{r}}, the callout's EHLO
     * @param infinispan the Hot Rod client, asked for only when greylisting or the callout cache is used
     * @param blocking   the ingress pool for work that may block or cost CPU
     */
    public static EdgeChecks create(DnsLookup dns, String hostname, IngressMetrics metrics, Clock clock,
            Supplier<RemoteCacheManager> infinispan, Executor blocking) {
        var spf = new SpfChecker(dns, hostname, clock);
        var dkim = new DkimVerifier(new DnsDkimKeyRecords(dns), clock, DkimVerifier.DEFAULT_CLOCK_SKEW);
        var senderId = new SenderIdChecker(dns, hostname, clock);
        Supplier<Greylist> greylist = new Lazy<>(() -> new Greylist(
                new InfinispanGreylistStore(infinispan.get(), InfinispanGreylistStore.CACHE), clock, INFINISPAN_WAIT));
        Supplier<CalloutCache> calloutCache = new Lazy<>(() -> new InfinispanCalloutCache(infinispan.get(),
                InfinispanCalloutCache.CACHE, INFINISPAN_WAIT));
        var files = new RecipientsFileWatcher(Duration.ofSeconds(2));
        Executor calloutThreads = Executors.newFixedThreadPool(CALLOUT_THREADS, r -> {
            Thread t = new Thread(r, "tern-ingress-callout");
            t.setDaemon(true);
            return t;
        });
        var validator = new RecipientValidator(files, new RecipientCallout(calloutThreads, hostname),
                new LazyCalloutCache(calloutCache));
        return new EdgeChecks(new SenderChecks(spf, metrics),
                new RecipientChecks(validator, files, new DnsblChecker(dns), greylist, metrics, blocking),
                new MessageChecks(dkim, senderId, new DmarcChecker(dns), metrics), files);
    }

    /** Made once, on first use, by whichever thread asks first. */
    private static final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> make;
        private volatile T value;

        Lazy(Supplier<T> make) {
            this.make = make;
        }

        @Override
        public T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    if (value == null) {
                        value = make.get();
                    }
                    v = value;
                }
            }
            return v;
        }
    }

    /** The shared callout cache, opened when the first callout verdict is looked up. */
    private record LazyCalloutCache(Supplier<CalloutCache> cache) implements CalloutCache {
        @Override
        public CompletionStage<Optional<CalloutVerdict>> get(Mailbox recipient, Transport server) {
            return cache.get().get(recipient, server);
        }

        @Override
        public CompletionStage<Void> put(Mailbox recipient, Transport server, CalloutVerdict verdict, Duration lifespan) {
            return cache.get().put(recipient, server, verdict, lifespan);
        }
    }
}
