package dev.tern.delivery.route;

import dev.tern.common.dns.DnsAnswer;
import dev.tern.common.dns.DnsLookup;
import dev.tern.smtp.reply.Reply;
import java.net.IDN;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Finds the servers that accept mail for a domain (RFC 5321 §5.1).
 *
 * <ul>
 *   <li>MX records in ascending preference, shuffled among equal preferences so load spreads
 *       (§5.1: "the sender-SMTP MUST randomize them"); every address of a host before the next host.</li>
 *   <li>No MX records: the domain itself is the implicit MX (A/AAAA fallback).</li>
 *   <li>Null MX (RFC 7505, a single MX with target {@code .}): 556 5.1.10, the domain takes no mail.</li>
 *   <li>NXDOMAIN: 550 5.1.2. Domain exists but has neither MX nor address: 550 5.4.4.</li>
 *   <li>SERVFAIL, REFUSED, timeout, or MX hosts without resolvable addresses: 451 4.4.3 (retry).</li>
 * </ul>
 * IPv4 addresses are tried before IPv6 for each host. Stateless apart from the random source;
 * thread-safe when the {@link DnsLookup} is.
 */
public final class MxResolver {

    /** Result: hops in order, or the reply that decides every recipient of the domain. */
    public record Resolution(List<NextHop> hops, Reply failure) {
        static Resolution fail(Reply r) {
            return new Resolution(List.of(), r);
        }
    }

    private final DnsLookup dns;
    private final Random random;
    private final int port;

    public MxResolver(DnsLookup dns, Random random, int port) {
        this.dns = dns;
        this.random = random;
        this.port = port;
    }

    /**
     * Next hops for {@code domain}. An internationalized domain (SMTPUTF8, RFC 6531) is looked up
     * by its A-labels (RFC 5890): DNS holds {@code xn--bcher-kva.example}, not {@code bücher.example}.
     */
    public CompletionStage<Resolution> resolve(String recipientDomain) {
        String domain;
        try {
            domain = IDN.toASCII(recipientDomain, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return done(Resolution.fail(Reply.of(550, "5.1.2", "Domain " + recipientDomain
                    + " is not a valid domain name: " + e.getMessage())));
        }
        return dns.query(domain, Type.MX).handle((answer, error) -> {
            if (error != null) {
                return done(Resolution.fail(Reply.of(451, "4.4.3", "DNS lookup of MX for " + domain
                        + " failed: " + reason(error))));
            }
            if (answer.nxdomain()) {
                return done(Resolution.fail(Reply.of(550, "5.1.2", "Domain " + domain + " does not exist")));
            }
            if (!answer.ok()) {
                return done(Resolution.fail(Reply.of(451, "4.4.3", "DNS server failure looking up MX for "
                        + domain + " (rcode " + answer.rcode() + ")")));
            }
            List<MXRecord> mx = answer.records().stream().filter(MXRecord.class::isInstance)
                    .map(MXRecord.class::cast).toList();
            if (mx.size() == 1 && mx.get(0).getTarget().equals(Name.root)) {
                return done(Resolution.fail(Reply.of(556, "5.1.10", "Domain " + domain
                        + " does not accept mail (null MX)")));
            }
            if (mx.isEmpty()) {
                return addresses(List.of(domain), true, domain);
            }
            return addresses(ordered(mx), false, domain);
        }).thenCompose(s -> s);
    }

    private List<String> ordered(List<MXRecord> mx) {
        var byPreference = new TreeMap<Integer, List<String>>();
        for (MXRecord r : mx) {
            if (!r.getTarget().equals(Name.root)) {
                byPreference.computeIfAbsent(r.getPriority(), p -> new ArrayList<>())
                        .add(stripDot(r.getTarget().toString()));
            }
        }
        var out = new ArrayList<String>();
        for (List<String> equal : byPreference.values()) {
            Collections.shuffle(equal, random);
            out.addAll(equal);
        }
        return out;
    }

    private CompletionStage<Resolution> addresses(List<String> hosts, boolean implicit, String domain) {
        Map<String, CompletableFuture<List<String>>> v4 = new LinkedHashMap<>();
        Map<String, CompletableFuture<List<String>>> v6 = new LinkedHashMap<>();
        for (String h : hosts) {
            v4.put(h, addressesOf(h, Type.A));
            v6.put(h, addressesOf(h, Type.AAAA));
        }
        var all = new ArrayList<CompletableFuture<?>>(v4.values());
        all.addAll(v6.values());
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            var hops = new ArrayList<NextHop>();
            for (String h : hosts) {
                for (String ip : orEmpty(v4.get(h).join())) {
                    hops.add(new NextHop(h, ip, port));
                }
                for (String ip : orEmpty(v6.get(h).join())) {
                    hops.add(new NextHop(h, ip, port));
                }
            }
            if (!hops.isEmpty()) {
                return new Resolution(hops, null);
            }
            boolean transientFailure = all.stream().anyMatch(f -> f.join() == null);
            if (implicit && !transientFailure) {
                return Resolution.fail(Reply.of(550, "5.4.4", "Domain " + domain + " has no MX or address records"));
            }
            return Resolution.fail(Reply.of(451, "4.4.3", "No address found for the mail servers of " + domain
                    + " " + hosts));
        });
    }

    /** The addresses of a host; empty when it has none, null when the lookup failed transiently. */
    private CompletableFuture<List<String>> addressesOf(String host, int type) {
        return dns.query(host, type).handle((answer, error) -> {
            if (error != null || (!answer.ok() && !answer.nxdomain())) {
                return (List<String>) null;
            }
            var ips = new ArrayList<String>();
            for (Record r : answer.records()) {
                if (r instanceof ARecord a) {
                    ips.add(a.getAddress().getHostAddress());
                } else if (r instanceof AAAARecord aaaa) {
                    ips.add(aaaa.getAddress().getHostAddress());
                }
            }
            return (List<String>) ips;
        }).toCompletableFuture();
    }

    private static List<String> orEmpty(List<String> ips) {
        return ips == null ? List.of() : ips;
    }

    private static CompletionStage<Resolution> done(Resolution r) {
        return CompletableFuture.completedFuture(r);
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static String reason(Throwable error) {
        Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
