package dev.tern.common.dns;

import java.time.Duration;
import java.util.List;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * The part of a DNS response the services need: the response code, the answer records of the
 * asked type, and how long the answer may be cached (minimum TTL of the records, or the SOA minimum
 * for negative answers, RFC 2308 §5). Three outcomes, never confused: records or "none" (NOERROR,
 * NXDOMAIN), or a temporary failure (SERVFAIL, REFUSED, ...) that must not read as "no records".
 */
public record DnsAnswer(int rcode, List<Record> records, Duration ttl) {

    public DnsAnswer {
        records = List.copyOf(records);
    }

    public boolean nxdomain() {
        return rcode == Rcode.NXDOMAIN;
    }

    public boolean ok() {
        return rcode == Rcode.NOERROR;
    }

    /** SERVFAIL or any other rcode but NOERROR and NXDOMAIN: the answer is unknown, ask again later. */
    public boolean temporaryFailure() {
        return !ok() && !nxdomain();
    }
}
