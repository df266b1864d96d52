package dev.tern.ingress.trust.dnsbl;

import dev.tern.common.dns.DnsAnswer;
import dev.tern.common.dns.DnsLookup;
import dev.tern.common.policy.Checks;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Type;

/**
 * Looks a client address up in the DNS lists of a {@link Checks.Dnsbl} policy (RFC 5782): every
 * zone is asked at once, the weights of the zones that list the client are summed, and the
 * client is listed when the sum reaches the threshold. Allow lists are zones with negative
 * weights.
 *
 * <p>A zone that cannot be asked (timeout, SERVFAIL) or that refuses the question counts as not
 * listing the client: a list is an opinion of a third party, and its outage must not become ours.
 * Those zones are reported in the verdict so they can be counted.
 *
 * <p>The policy is passed on every call because policies are reloaded at run time; the checker
 * holds nothing but the resolver. Asks through {@code dns} (normally the shared
 * {@code CachingDnsLookup}, so a client opening many connections costs one lookup per TTL).
 * Thread-safe and non-blocking.
 */
public final class DnsblChecker {

    private final DnsLookup dns;

    public DnsblChecker(DnsLookup dns) {
        this.dns = dns;
    }

    /** What one zone said about the client. */
    private record ZoneResult(Checks.Dnsbl.Zone zone, Outcome outcome, Optional<InetAddress> answer) {
    }

    private enum Outcome { LISTED, NOT_LISTED, FAILED, REFUSED }

    /** Looks {@code client} up in every zone of {@code policy}; never fails. */
    public CompletionStage<DnsblVerdict> check(InetAddress client, Checks.Dnsbl policy) {
        if (!policy.enabled() || policy.zones().isEmpty()) {
            return CompletableFuture.completedFuture(DnsblVerdict.NOT_CHECKED);
        }
        List<CompletableFuture<ZoneResult>> asked = new ArrayList<>();
        for (Checks.Dnsbl.Zone zone : policy.zones()) {
            asked.add(ask(client, zone));
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new))
                .thenApply(done -> verdict(asked.stream().map(CompletableFuture::join).toList(), policy.threshold()));
    }

    private CompletableFuture<ZoneResult> ask(InetAddress client, Checks.Dnsbl.Zone zone) {
        CompletionStage<DnsAnswer> answer;
        try {
            answer = dns.query(DnsblNames.query(client, zone.zone()), Type.A);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new ZoneResult(zone, Outcome.FAILED, Optional.empty()));
        }
        return answer.toCompletableFuture().handle((a, error) -> {
            if (error != null || a.temporaryFailure()) {
                return new ZoneResult(zone, Outcome.FAILED, Optional.empty());
            }
            return switch (DnsblAnswers.meaning(zone, a.records())) {
                case LISTED -> new ZoneResult(zone, Outcome.LISTED, DnsblAnswers.listing(zone, a.records()));
                case REFUSED -> new ZoneResult(zone, Outcome.REFUSED, Optional.empty());
                case NOT_LISTED -> new ZoneResult(zone, Outcome.NOT_LISTED, Optional.empty());
            };
        });
    }

    /** Sums the weights of the listing zones; a client no zone lists is never refused, whatever the threshold. */
    private static DnsblVerdict verdict(List<ZoneResult> results, double threshold) {
        var listings = new ArrayList<DnsblVerdict.Listing>();
        var failed = new ArrayList<String>();
        var refused = new ArrayList<String>();
        double score = 0;
        for (ZoneResult r : results) {
            String name = DnsblNames.zoneName(r.zone().zone());
            switch (r.outcome()) {
                case LISTED -> {
                    score += r.zone().weight();
                    listings.add(new DnsblVerdict.Listing(name, r.zone().weight(), r.answer().orElseThrow()));
                }
                case FAILED -> failed.add(name);
                case REFUSED -> refused.add(name);
                case NOT_LISTED -> {
                    // Nothing to add: the zone does not know the client.
                }
            }
        }
        return new DnsblVerdict(!listings.isEmpty() && score >= threshold, score, listings, failed, refused);
    }
}
