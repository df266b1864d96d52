package dev.tern.ingress.trust.dmarc;

import dev.tern.ingress.trust.header.HeaderFields;
import dev.tern.ingress.trust.header.Mailboxes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The RFC5322.From domains of a message: the identifier DMARC authenticates (RFC 7489 §3.1, §6.6.1).
 *
 * <p>§6.6.1 leaves the odd cases to the receiver; our choices: a message without a From field, with
 * several From fields (RFC 5322 §3.6 allows exactly one), or whose From cannot be parsed or holds
 * no mailbox has no domain to judge and is a {@code permerror} ({@link #problem()} says why), which
 * the caller may reject. A From with several mailboxes yields each distinct domain; the checker
 * evaluates every one and keeps the strictest outcome, as §6.6.1 suggests.
 *
 * @param domains the distinct From domains, lower case, in order; empty when {@code problem} is set
 * @param problem why there is no usable From, or null
 */
public record FromHeader(List<String> domains, String problem) {

    public FromHeader {
        domains = List.copyOf(domains);
    }

    /** Reads the From field of {@code message}'s header section. */
    public static FromHeader of(byte[] message) {
        return of(HeaderFields.of(message));
    }

    /** Reads the From field among a message's header {@code fields}. */
    public static FromHeader of(List<HeaderFields.Field> fields) {
        List<String> from = HeaderFields.values(fields, "from");
        if (from.isEmpty()) {
            return failed("the message has no From header field");
        }
        if (from.size() > 1) {
            return failed("the message has " + from.size() + " From header fields");
        }
        List<Mailboxes.Mailbox> mailboxes;
        try {
            mailboxes = Mailboxes.parse(from.get(0));
        } catch (IllegalArgumentException e) {
            return failed("unparseable From: " + e.getMessage());
        }
        if (mailboxes.isEmpty()) {
            return failed("the From header field holds no mailbox");
        }
        var domains = new LinkedHashSet<String>();
        for (Mailboxes.Mailbox m : mailboxes) {
            if (m.domain().startsWith("[")) {
                return failed("a From address with a domain literal has no DMARC domain: " + m.address());
            }
            domains.add(m.domain());
        }
        return new FromHeader(new ArrayList<>(domains), null);
    }

    private static FromHeader failed(String problem) {
        return new FromHeader(List.of(), problem);
    }
}
