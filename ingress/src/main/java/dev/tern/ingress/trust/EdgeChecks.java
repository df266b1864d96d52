package dev.tern.ingress.trust;

import dev.tern.common.dns.DnsLookup;
import dev.tern.ingress.dkim.DkimVerifier;
import dev.tern.ingress.dkim.DnsDkimKeyRecords;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.trust.dmarc.DmarcChecker;
import dev.tern.ingress.trust.senderid.SenderIdChecker;
import dev.tern.ingress.trust.spf.SpfChecker;
import dev.tern.ingress.trust.dnsbl.DnsblChecker;
import dev.tern.ingress.trust.greylist.Greylist;
import dev.tern.ingress.trust.greylist.InfinispanGreylistStore;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.infinispan.client.hotrod.RemoteCacheManager;

/**
 * The inbound checks one ingress process runs, built once at start over the shared resolver
 * (docs/ARCHITECTURE.md, "Edge checks"); the policy's {@code checks} section, read per decision,
 * says which of them apply.
 */
public record EdgeChecks(SenderChecks sender, RecipientChecks recipient, MessageChecks message) {

    /** How long greylisting waits for Infinispan before letting the mail pass. */
    private static final Duration GREYLIST_WAIT = Duration.ofSeconds(2);

    /**
     * @param hostname   this host's name, for SPF's {@code %{r}}
     * @param infinispan the Hot Rod client, opened only when greylisting is first asked
     */
    public static EdgeChecks create(DnsLookup dns, String hostname, IngressMetrics metrics, Clock clock,
            Supplier<RemoteCacheManager> infinispan) {
        var spf = new SpfChecker(dns, hostname, clock);
        var dkim = new DkimVerifier(new DnsDkimKeyRecords(dns), clock, DkimVerifier.DEFAULT_CLOCK_SKEW);
        var senderId = new SenderIdChecker(dns, hostname, clock);
        Supplier<Greylist> greylist = new Lazy<>(() -> new Greylist(
                new InfinispanGreylistStore(infinispan.get(), InfinispanGreylistStore.CACHE), clock, GREYLIST_WAIT));
        return new EdgeChecks(new SenderChecks(spf, metrics),
                new RecipientChecks(new DnsblChecker(dns), greylist, metrics),
                new MessageChecks(dkim, senderId, new DmarcChecker(dns), metrics));
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
}
