package dev.tern.delivery.route;

import dev.tern.common.dns.DnsAnswer;
import dev.tern.common.dns.DnsLookup;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** A {@link DnsLookup} answering from a table, for routing unit tests. Unknown names are NXDOMAIN. */
final class FakeDns implements DnsLookup {

    private final Map<String, List<Record>> records = new HashMap<>();
    private final Map<String, Integer> rcodes = new HashMap<>();
    private final Map<String, Boolean> timeouts = new HashMap<>();
    final AtomicInteger queries = new AtomicInteger();

    FakeDns mx(String domain, int preference, String host) {
        records.computeIfAbsent(key(domain, Type.MX), k -> new ArrayList<>())
                .add(new MXRecord(name(domain), DClass.IN, 300, preference, name(host)));
        return this;
    }

    FakeDns a(String host, String ip) {
        try {
            records.computeIfAbsent(key(host, Type.A), k -> new ArrayList<>())
                    .add(new ARecord(name(host), DClass.IN, 300, InetAddress.getByName(ip)));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    /** The name exists (NOERROR) but has no records of the type. */
    FakeDns exists(String name) {
        rcodes.put(name.toLowerCase(), Rcode.NOERROR);
        return this;
    }

    FakeDns rcode(String name, int rcode) {
        rcodes.put(name.toLowerCase(), rcode);
        return this;
    }

    FakeDns timeout(String name) {
        timeouts.put(name.toLowerCase(), true);
        return this;
    }

    @Override
    public CompletionStage<DnsAnswer> query(String name, int type) {
        queries.incrementAndGet();
        String n = name.toLowerCase();
        if (timeouts.containsKey(n)) {
            return CompletableFuture.failedFuture(new TimeoutException("Timed out while trying to resolve " + name));
        }
        if (rcodes.containsKey(n) && rcodes.get(n) != Rcode.NOERROR) {
            return CompletableFuture.completedFuture(new DnsAnswer(rcodes.get(n), List.of(), Duration.ofMinutes(1)));
        }
        List<Record> found = records.get(key(n, type));
        boolean known = rcodes.containsKey(n) || records.keySet().stream().anyMatch(k -> k.startsWith(n + "/"));
        if (found == null) {
            return CompletableFuture.completedFuture(new DnsAnswer(known ? Rcode.NOERROR : Rcode.NXDOMAIN, List.of(),
                    Duration.ofMinutes(1)));
        }
        return CompletableFuture.completedFuture(new DnsAnswer(Rcode.NOERROR, found, Duration.ofSeconds(300)));
    }

    private static String key(String name, int type) {
        return name.toLowerCase() + "/" + type;
    }

    private static Name name(String n) {
        try {
            return Name.fromString(n.endsWith(".") ? n : n + ".");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
