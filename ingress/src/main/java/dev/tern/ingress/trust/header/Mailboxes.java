package dev.tern.ingress.trust.header;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The mailboxes of an address header field value (RFC 5322 §3.4: {@code mailbox-list} and
 * {@code address-list}): display names, quoted strings, comments (nested, §3.2.2), angle
 * addresses with an obsolete source route (§4.4), and groups ({@code name: a@x, b@y;}, whose
 * members count as mailboxes and whose name does not). Enough to find the domains DMARC and
 * Sender ID judge, not a full validator. Pure and thread-safe.
 */
public final class Mailboxes {

    /** One mailbox: the local part (quotes removed) and the domain, lower case, without a trailing dot. */
    public record Mailbox(String localPart, String domain) {

        /** {@code local@domain}. */
        public String address() {
            return localPart + "@" + domain;
        }
    }

    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?"
            + "(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)+");
    private static final Pattern DOMAIN_LITERAL = Pattern.compile("\\[[^\\[\\]\\\\]*]");

    private Mailboxes() {
    }

    /**
     * The mailboxes of {@code value}, in order.
     *
     * @throws IllegalArgumentException when a mailbox is malformed (unbalanced quotes, comments or
     *                                  brackets, no {@code @}, a domain that is not a DNS name)
     */
    public static List<Mailbox> parse(String value) {
        var out = new ArrayList<Mailbox>();
        for (String segment : segments(value)) {
            String spec = addrSpec(segment);
            if (!spec.isEmpty()) {
                out.add(mailbox(spec));
            }
        }
        return out;
    }

    /**
     * Splits at the commas, group colons and group semicolons that stand outside quotes, comments,
     * angle brackets and domain literals; comments are dropped on the way (they are white space).
     */
    private static List<String> segments(String value) {
        var segments = new ArrayList<String>();
        var current = new StringBuilder();
        int comment = 0;
        boolean quoted = false;
        boolean angle = false;
        boolean literal = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && (quoted || comment > 0 || literal)) {
                if (++i == value.length()) {
                    throw new IllegalArgumentException("a backslash ends the field: " + value);
                }
                if (comment == 0) {
                    current.append(c).append(value.charAt(i));
                }
                continue;
            }
            if (comment > 0) {
                comment += c == '(' ? 1 : c == ')' ? -1 : 0;
                if (comment == 0) {
                    current.append(' ');
                }
                continue;
            }
            if (quoted) {
                quoted = c != '"';
                current.append(c);
                continue;
            }
            if (literal) {
                literal = c != ']';
                current.append(c);
                continue;
            }
            switch (c) {
                case '(' -> comment = 1;
                case '"' -> {
                    quoted = true;
                    current.append(c);
                }
                case '[' -> {
                    literal = true;
                    current.append(c);
                }
                case '<' -> {
                    if (angle) {
                        throw new IllegalArgumentException("nested '<' in " + value);
                    }
                    angle = true;
                    current.append(c);
                }
                case '>' -> {
                    if (!angle) {
                        throw new IllegalArgumentException("'>' without '<' in " + value);
                    }
                    angle = false;
                    current.append(c);
                }
                case ',', ';' -> {
                    if (angle) {
                        current.append(c);
                    } else {
                        segments.add(current.toString());
                        current.setLength(0);
                    }
                }
                case ':' -> {
                    if (angle) {
                        current.append(c);
                    } else {
                        // A group's display name (§3.4): not an address, dropped.
                        current.setLength(0);
                    }
                }
                default -> current.append(c);
            }
        }
        if (comment > 0 || quoted || angle || literal) {
            throw new IllegalArgumentException("unbalanced quote, comment or bracket in " + value);
        }
        segments.add(current.toString());
        return segments;
    }

    /** The addr-spec of one mailbox: what is inside its angle brackets, else the whole segment. */
    private static String addrSpec(String segment) {
        int lt = indexOutsideQuotes(segment, '<');
        if (lt < 0) {
            return segment.strip();
        }
        int gt = segment.indexOf('>', lt);
        String inside = segment.substring(lt + 1, gt).strip();
        if (inside.startsWith("@")) {
            // obs-route "@a,@b:" before the address (§4.4): ignored.
            int colon = inside.indexOf(':');
            inside = colon < 0 ? "" : inside.substring(colon + 1).strip();
        }
        if (inside.isEmpty()) {
            throw new IllegalArgumentException("empty angle address in " + segment);
        }
        return inside;
    }

    private static Mailbox mailbox(String spec) {
        int at = lastIndexOutsideQuotes(spec, '@');
        if (at <= 0 || at == spec.length() - 1) {
            throw new IllegalArgumentException("no local@domain in " + spec);
        }
        String local = spec.substring(0, at).strip();
        String domain = withoutWhiteSpace(spec.substring(at + 1)).toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (!DOMAIN.matcher(domain).matches() && !DOMAIN_LITERAL.matcher(domain).matches()) {
            throw new IllegalArgumentException("not a domain: " + domain);
        }
        if (local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"")) {
            local = local.substring(1, local.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return new Mailbox(local, domain);
    }

    /** {@code s} without the white space {@code \\s} matches (no regex: this runs per message). */
    private static String withoutWhiteSpace(String s) {
        var out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r')) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int indexOutsideQuotes(String s, char wanted) {
        return outsideQuotes(s, wanted, false);
    }

    private static int lastIndexOutsideQuotes(String s, char wanted) {
        return outsideQuotes(s, wanted, true);
    }

    /** The first (or last) {@code wanted} not inside a quoted string, or -1. */
    private static int outsideQuotes(String s, char wanted, boolean last) {
        int found = -1;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == wanted && !quoted) {
                found = i;
                if (!last) {
                    return i;
                }
            }
        }
        return found;
    }
}
