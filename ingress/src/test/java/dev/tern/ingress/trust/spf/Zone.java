package dev.tern.ingress.trust.spf;

import dev.tern.common.dns.DnsAnswer;
import dev.tern.common.dns.DnsLookup;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A small in-memory DNS zone for SPF's unit tests: TXT, A, AAAA, MX and PTR records, names that
 * answer SERVFAIL or time out; unknown names are NXDOMAIN. Counts the questions asked.
 */
final class Zone implements DnsLookup {

    private final Map<String, List<Record>> records = new HashMap<>();
    private final Set<String> servfail = new HashSet<>();
    private final Set<String> timeout = new HashSet<>();
    final List<String> asked = new ArrayList<>();

    Zone txt(String name, String... strings) {
        return add(new TXTRecord(name(name), DClass.IN, 300, List.of(strings)));
    }

    Zone a(String name, String ip) {
        try {
            InetAddress address = InetAddress.getByName(ip);
            return add(address.getAddress().length == 4 ? new ARecord(name(name), DClass.IN, 300, address)
                    : new AAAARecord(name(name), DClass.IN, 300, address));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    Zone mx(String name, int preference, String host) {
        return add(new MXRecord(name(name), DClass.IN, 300, preference, name(host)));
    }

    Zone ptr(String ip, String host) {
        try {
            return add(new PTRRecord(name(SpfMacros.reverseName(InetAddress.getByName(ip))), DClass.IN, 300,
                    name(host)));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    Zone servfail(String name) {
        servfail.add(key(name));
        return this;
    }

    Zone timeout(String name) {
        timeout.add(key(name));
        return this;
    }

    private Zone add(Record r) {
        records.computeIfAbsent(key(r.getName().toString()), k -> new ArrayList<>()).add(r);
        return this;
    }

    @Override
    public synchronized CompletionStage<DnsAnswer> query(String name, int type) {
        String n = key(name);
        asked.add(Type.string(type) + " " + n);
        if (timeout.contains(n)) {
            return CompletableFuture.failedFuture(new TimeoutException("Timed out while trying to resolve " + name));
        }
        if (servfail.contains(n)) {
            return CompletableFuture.completedFuture(new DnsAnswer(Rcode.SERVFAIL, List.of(), Duration.ZERO));
        }
        List<Record> all = records.get(n);
        if (all == null) {
            return CompletableFuture.completedFuture(new DnsAnswer(Rcode.NXDOMAIN, List.of(), Duration.ofMinutes(1)));
        }
        return CompletableFuture.completedFuture(new DnsAnswer(Rcode.NOERROR,
                all.stream().filter(r -> r.getType() == type).toList(), Duration.ofMinutes(5)));
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static Name name(String n) {
        try {
            return Name.fromString(n.endsWith(".") ? n : n + ".");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
