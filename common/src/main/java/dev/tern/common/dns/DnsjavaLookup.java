package dev.tern.common.dns;

import dev.tern.common.config.TernConfig;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;

/**
 * {@link DnsLookup} over the wire with dnsjava's non-blocking {@link Resolver#sendAsync}: UDP with
 * TCP fallback on truncation, to the configured servers ({@code tern.dns.servers}) or the system's.
 * CNAME chains are followed by the recursive resolver; we keep only records of the asked type.
 * Timeouts and network errors fail the stage (a temporary error); SERVFAIL and other rcodes come
 * back as answers whose {@link DnsAnswer#temporaryFailure()} is true. Thread-safe.
 */
public final class DnsjavaLookup implements DnsLookup {

    private static final Duration NEGATIVE_TTL = Duration.ofMinutes(1);

    private final Resolver resolver;

    /** Asks {@code servers} in turn, or the system's resolvers when the list is empty. */
    public DnsjavaLookup(List<InetSocketAddress> servers, Duration timeout) {
        this.resolver = resolver(servers);
        resolver.setTimeout(timeout);
    }

    /** The resolver {@code tern.dns.*} describes, with its cache: what every service should use. */
    public static CachingDnsLookup fromConfig(TernConfig.Dns config) {
        return new CachingDnsLookup(new DnsjavaLookup(config.servers().orElse(List.of()), config.timeout()),
                config.maxTtl(), Clock.systemUTC());
    }

    private static Resolver resolver(List<InetSocketAddress> servers) {
        var list = new ArrayList<Resolver>();
        for (InetSocketAddress address : servers) {
            list.add(new SimpleResolver(address));
        }
        if (list.isEmpty()) {
            for (InetSocketAddress a : ResolverConfig.getCurrentConfig().servers()) {
                list.add(new SimpleResolver(a));
            }
        }
        return list.size() == 1 ? list.get(0) : new ExtendedResolver(list);
    }

    @Override
    public CompletionStage<DnsAnswer> query(String name, int type) {
        Message question;
        try {
            question = Message.newQuery(Record.newRecord(Name.fromString(absolute(name)), type, DClass.IN));
        } catch (TextParseException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(
                    new DnsAnswer(Rcode.NXDOMAIN, List.of(), NEGATIVE_TTL));
        }
        question.getHeader().setFlag(Flags.RD);
        return resolver.sendAsync(question).thenApply(response -> answer(response, type));
    }

    private static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    private static DnsAnswer answer(Message response, int type) {
        int rcode = response.getRcode();
        var records = new ArrayList<Record>();
        long ttl = Long.MAX_VALUE;
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == type) {
                records.add(r);
                ttl = Math.min(ttl, r.getTTL());
            }
        }
        if (records.isEmpty()) {
            ttl = NEGATIVE_TTL.toSeconds();
            for (Record r : response.getSection(Section.AUTHORITY)) {
                if (r instanceof SOARecord soa) {
                    ttl = Math.min(soa.getTTL(), soa.getMinimum());
                }
            }
        }
        return new DnsAnswer(rcode, records, Duration.ofSeconds(ttl));
    }
}
