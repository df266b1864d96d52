package dev.tern.ingress.trust.recipients;

import dev.tern.smtp.address.Mailbox;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The valid recipients of the local domains, as listed in {@code relay.recipients}: one address a
 * line, {@code @domain} for a catch-all (every address of that domain is valid), {@code #} at the
 * start of a line for a comment, blank lines ignored. Immutable and thread-safe; built by
 * {@link #parse}, kept current by {@link RecipientsFileWatcher}.
 *
 * <p>Matching ({@link #lists}):
 * <ul>
 * <li>Case-insensitive on the domain (DNS names are, RFC 1035 §2.3.3) and on the local part too.
 *     RFC 5321 §2.4 lets the destination host treat local parts as case-sensitive, but no mailbox
 *     server in use does, and senders type {@code John.Doe@} for {@code john.doe@}: a
 *     case-sensitive list would refuse real people, which is worse than the theoretical case of
 *     two mailboxes differing only by case.</li>
 * <li>Subaddresses: {@code user+tag@d} that is not itself listed matches {@code user@d}, because
 *     Postfix, Dovecot, Exim and Gmail all deliver {@code +tag} to {@code user}, and people hand out
 *     such addresses expecting them to work. An explicit {@code user+tag@d} line also matches.</li>
 * <li>A domain with no line at all (neither an address nor {@code @domain}) has no valid
 *     recipients: the file is the list of valid recipients, so an unlisted domain is not an
 *     implicit catch-all. Otherwise adding a domain to {@code relay.local-domains} and forgetting
 *     the file would silently accept every address there and bounce the unknown ones later
 *     (backscatter), which is what the list exists to prevent; {@code @domain} says "all" in one
 *     line.</li>
 * </ul>
 *
 * <p>A line that is not an address ({@code Mailbox.of}, UTF-8 allowed) or {@code @domain} makes the
 * whole file invalid ({@link RecipientsFileException} naming the line), so a typo is noticed instead
 * of silently refusing the mailbox it was meant to list.
 */
public final class RecipientsFile {

    /** The subaddress separator of Postfix's {@code recipient_delimiter} default in most setups. */
    static final char SUBADDRESS_DELIMITER = '+';

    private final Set<String> addresses;
    private final Set<String> catchAllDomains;

    private RecipientsFile(Set<String> addresses, Set<String> catchAllDomains) {
        this.addresses = Set.copyOf(addresses);
        this.catchAllDomains = Set.copyOf(catchAllDomains);
    }

    /** Parses the file's lines; {@code source} names the file in error messages. */
    public static RecipientsFile parse(List<String> lines, String source) {
        Set<String> addresses = new HashSet<>();
        Set<String> catchAll = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            if (line.startsWith("@")) {
                catchAll.add(domainOf(line.substring(1), where));
                continue;
            }
            Mailbox box;
            try {
                box = Mailbox.of(line);
            } catch (IllegalArgumentException e) {
                throw new RecipientsFileException(where + ": '" + line + "' is not an address or @domain");
            }
            if (box.isAddressLiteral()) {
                throw new RecipientsFileException(where + ": '" + line + "' has an address literal, not a domain");
            }
            addresses.add(key(box.localPart(), box.domain()));
        }
        return new RecipientsFile(addresses, catchAll);
    }

    private static String domainOf(String text, String where) {
        try {
            Mailbox box = Mailbox.of("x@" + text);
            if (box.isAddressLiteral()) {
                throw new IllegalArgumentException("address literal");
            }
            return box.domain().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new RecipientsFileException(where + ": '@" + text + "' is not a catch-all @domain");
        }
    }

    /** True when {@code recipient} is listed, is a subaddress of a listed address, or its domain has a catch-all. */
    public boolean lists(Mailbox recipient) {
        String domain = recipient.domain().toLowerCase(Locale.ROOT);
        if (catchAllDomains.contains(domain)) {
            return true;
        }
        String local = recipient.localPart();
        if (addresses.contains(key(local, domain))) {
            return true;
        }
        int plus = local.indexOf(SUBADDRESS_DELIMITER);
        // "+tag" alone (plus at 0) has no user part to fall back to.
        return plus > 0 && addresses.contains(key(local.substring(0, plus), domain));
    }

    /** Number of listed addresses plus catch-all domains, for the reload log line. */
    public int size() {
        return addresses.size() + catchAllDomains.size();
    }

    private static String key(String localPart, String domain) {
        return localPart.toLowerCase(Locale.ROOT) + "@" + domain.toLowerCase(Locale.ROOT);
    }
}
