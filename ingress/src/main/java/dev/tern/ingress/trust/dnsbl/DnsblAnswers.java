package dev.tern.ingress.trust.dnsbl;

import dev.tern.common.policy.Checks;
import dev.tern.common.policy.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;

/**
 * Which A records of a list's answer mean "listed". Only 127.0.0.0/8 does (RFC 5782 §2.1): a
 * resolver that hijacks NXDOMAIN, or a zone that lapsed and now has a wildcard, answers with
 * public addresses, and reading those as listings would refuse every client. Within 127/8 two
 * ranges never mean listed whatever the policy says: 127.0.0.1, which RFC 5782 §5 forbids a list
 * to contain (some lists answer it to say "query refused"), and 127.255.255.0/24, where
 * Spamhaus answers "query via a public resolver refused", "typo in the zone name" or "too many
 * queries" — listing every client whenever our resolver is over quota would be an outage. A
 * zone's {@code answers} narrows the rest further (e.g. only the PBL's 127.0.0.10/31).
 */
public final class DnsblAnswers {

    private static final Cidr LOOPBACK_NET = Cidr.parse("127.0.0.0/8");
    private static final Cidr NOT_LISTED = Cidr.parse("127.0.0.1");
    private static final Cidr ERROR_CODES = Cidr.parse("127.255.255.0/24");

    private DnsblAnswers() {
    }

    /** What one zone's A records say. */
    public enum Meaning {
        /** An answer inside the accepted range: the client is listed. */
        LISTED,
        /** No records, or only addresses outside 127.0.0.0/8 or the zone's {@code answers}. */
        NOT_LISTED,
        /** Only "refused" codes (127.0.0.1, 127.255.255.0/24): the list did not answer the question. */
        REFUSED
    }

    /** The first listing address among {@code records}, if any. */
    public static Optional<InetAddress> listing(Checks.Dnsbl.Zone zone, List<Record> records) {
        for (Record r : records) {
            if (r instanceof ARecord a && counts(zone, a.getAddress())) {
                return Optional.of(a.getAddress());
            }
        }
        return Optional.empty();
    }

    /** LISTED when any record counts, REFUSED when the only 127/8 answers are refusal codes. */
    public static Meaning meaning(Checks.Dnsbl.Zone zone, List<Record> records) {
        if (listing(zone, records).isPresent()) {
            return Meaning.LISTED;
        }
        for (Record r : records) {
            if (r instanceof ARecord a && refusal(a.getAddress())) {
                return Meaning.REFUSED;
            }
        }
        return Meaning.NOT_LISTED;
    }

    /** Whether one answer address means "listed" for {@code zone}. */
    public static boolean counts(Checks.Dnsbl.Zone zone, InetAddress answer) {
        if (!LOOPBACK_NET.contains(answer) || refusal(answer)) {
            return false;
        }
        return zone.answers().isEmpty() || zone.answers().stream().anyMatch(c -> c.contains(answer));
    }

    private static boolean refusal(InetAddress answer) {
        return NOT_LISTED.contains(answer) || ERROR_CODES.contains(answer);
    }
}
