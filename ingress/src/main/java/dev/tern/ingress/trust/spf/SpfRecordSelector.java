package dev.tern.ingress.trust.spf;

import java.util.List;

/**
 * Picks, from the TXT records at a domain, those the check may evaluate: for SPF the
 * {@code v=spf1} records (RFC 7208 §4.5); Sender ID (RFC 4406 §3.4) prefers its
 * {@code spf2.0/<scope>} records. The checker then wants exactly one: none gives the result
 * "none", several a permerror. The same selector applies to every {@code include} and
 * {@code redirect} of a check.
 */
@FunctionalInterface
public interface SpfRecordSelector {

    /** SPF's own choice: the records that start with {@code v=spf1}. */
    SpfRecordSelector SPF1 = texts -> texts.stream().filter(SpfRecordSelector::isSpf1).toList();

    /** The candidate records among {@code texts} (each a TXT record's strings joined), in order. */
    List<String> select(List<String> texts);

    /** Whether a TXT string is an SPF record: {@code v=spf1} then a space or the end (RFC 7208 §4.5). */
    static boolean isSpf1(String txt) {
        return SpfRecordParser.isSpf(txt);
    }
}
