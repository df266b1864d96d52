package dev.tern.ingress.trust.spf;

import dev.tern.common.dns.DnsAnswer;
import dev.tern.common.dns.DnsLookup;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The DNS side of one SPF check (RFC 7208 §4.6.4): asks the shared resolver, turns a timeout or
 * SERVFAIL into a temperror (never "no records"), and keeps the check's two budgets — at most 10
 * terms that cause DNS lookups and at most 2 void lookups (NXDOMAIN or no answer) — across every
 * include and redirect of the check. One instance per check; the stages of one check run one
 * after another, so the counters need no locking beyond what the stages' ordering gives.
 */
final class SpfLookups {

    static final int MAX_LOOKUPS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    /** Names taken from an MX or PTR answer (§4.6.4). */
    static final int MAX_NAMES = 10;

    private final DnsLookup dns;
    private int lookups;
    private int voids;

    SpfLookups(DnsLookup dns) {
        this.dns = dns;
    }

    /** Counts one term that causes DNS lookups; the eleventh is a permerror. */
    void countTerm() {
        if (++lookups > MAX_LOOKUPS) {
            throw SpfException.permerror("more than " + MAX_LOOKUPS + " DNS-querying terms");
        }
    }

    /** Counts an answer that was empty or NXDOMAIN; the third is a permerror. */
    void countIfVoid(List<?> answer) {
        if (answer.isEmpty() && ++voids > MAX_VOID_LOOKUPS) {
            throw SpfException.permerror("more than " + MAX_VOID_LOOKUPS + " void DNS lookups");
        }
    }

    /** The TXT records at {@code name}, each record's strings joined (§3.3); empty for NXDOMAIN. */
    CompletionStage<List<String>> txt(String name) {
        return ask(name, Type.TXT, r -> r instanceof TXTRecord t ? String.join("", t.getStrings()) : null);
    }

    /** A records, or AAAA records when {@code v6}. */
    CompletionStage<List<InetAddress>> addresses(String name, boolean v6) {
        return ask(name, v6 ? Type.AAAA : Type.A, r -> r instanceof ARecord a ? a.getAddress()
                : r instanceof AAAARecord aaaa ? aaaa.getAddress() : null);
    }

    CompletionStage<List<String>> mx(String name) {
        return ask(name, Type.MX, r -> r instanceof MXRecord mx ? relative(mx.getTarget().toString()) : null);
    }

    CompletionStage<List<String>> ptr(String name) {
        return ask(name, Type.PTR, r -> r instanceof PTRRecord p ? relative(p.getTarget().toString()) : null);
    }

    private <T> CompletionStage<List<T>> ask(String name, int type, Function<Record, T> read) {
        return dns.query(name, type).handle((answer, error) -> {
            if (error != null) {
                throw temperror(name, type, cause(error).toString());
            }
            if (answer.temporaryFailure()) {
                throw temperror(name, type, "rcode " + org.xbill.DNS.Rcode.string(answer.rcode()));
            }
            return values(answer, read);
        });
    }

    private static <T> List<T> values(DnsAnswer answer, Function<Record, T> read) {
        var out = new ArrayList<T>();
        for (Record r : answer.records()) {
            T value = read.apply(r);
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    private static SpfException temperror(String name, int type, String why) {
        return SpfException.temperror("DNS lookup of " + Type.string(type) + " " + name + " failed: " + why);
    }

    static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String relative(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
