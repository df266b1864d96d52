package dev.tern.delivery.route;

import java.time.Duration;
import java.util.List;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * The part of a DNS response routing needs: the response code, the answer records of the asked
 * type, and how long the answer may be cached (minimum TTL of the records, or the SOA minimum for
 * negative answers, RFC 2308 §5).
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
}
