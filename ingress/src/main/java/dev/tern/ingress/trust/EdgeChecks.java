package dev.tern.ingress.trust;

import dev.tern.common.dns.DnsLookup;
import dev.tern.ingress.dkim.DkimVerifier;
import dev.tern.ingress.dkim.DnsDkimKeyRecords;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.trust.dmarc.DmarcChecker;
import dev.tern.ingress.trust.senderid.SenderIdChecker;
import dev.tern.ingress.trust.spf.SpfChecker;
import java.time.Clock;

/**
 * The inbound checks one ingress process runs, built once at start over the shared resolver
 * (docs/ARCHITECTURE.md, "Edge checks"); the policy's {@code checks} section, read per decision,
 * says which of them apply.
 */
public record EdgeChecks(SenderChecks sender, MessageChecks message) {

    /** @param hostname this host's name, for SPF's {@code %{r}} */
    public static EdgeChecks create(DnsLookup dns, String hostname, IngressMetrics metrics, Clock clock) {
        var spf = new SpfChecker(dns, hostname, clock);
        var dkim = new DkimVerifier(new DnsDkimKeyRecords(dns), clock, DkimVerifier.DEFAULT_CLOCK_SKEW);
        var senderId = new SenderIdChecker(dns, hostname, clock);
        return new EdgeChecks(new SenderChecks(spf, metrics),
                new MessageChecks(dkim, senderId, new DmarcChecker(dns), metrics));
    }
}
