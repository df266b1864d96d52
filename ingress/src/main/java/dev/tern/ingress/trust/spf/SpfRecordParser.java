package dev.tern.ingress.trust.spf;

import dev.tern.common.memo.BoundedMemo;
import dev.tern.common.policy.Cidr;
import dev.tern.ingress.trust.spf.SpfRecord.Directive;
import dev.tern.ingress.trust.spf.SpfRecord.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the text of an SPF record (RFC 7208 §4.6.1, §12 ABNF) into an {@link SpfRecord}. Any
 * syntax error, an unknown mechanism, a bad CIDR length, or a repeated {@code redirect}/{@code exp}
 * is a permerror (§4.6, §6). Macro syntax inside domain specs is checked when they are expanded.
 * Stateless.
 */
final class SpfRecordParser {

    private static final Pattern VERSION = Pattern.compile("(?i)v=spf1(?: .*)?");
    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9_.-]*)=(.*)");
    private static final Pattern MECHANISM = Pattern.compile("([+?~-]?)([A-Za-z][A-Za-z0-9_.-]*)(.*)");
    /** {@code :domain-spec} then {@code /cidr4} and/or {@code //cidr6}, for a and mx (§5.3, §5.4). */
    private static final Pattern DUAL_CIDR = Pattern.compile("(?::([^/]+))?(?:/(\\d+))?(?://(\\d+))?");

    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private SpfRecordParser() {
    }

    /** Verdicts of {@link #isSpf} by text: every check asks it of the same few cached records. */
    private static final BoundedMemo<String, Boolean> SPF_TEXTS = new BoundedMemo<>(10_000,
            txt -> VERSION.matcher(txt).matches());

    /** Whether a TXT string is an SPF record at all: {@code v=spf1} then a space or the end (§4.5). */
    static boolean isSpf(String txt) {
        return SPF_TEXTS.get(txt);
    }

    static SpfRecord parse(String text) {
        String[] terms = text.split(" ");
        var directives = new ArrayList<Directive>();
        String redirect = null;
        String explanation = null;
        for (int i = 1; i < terms.length; i++) {
            String term = terms[i];
            if (term.isEmpty()) {
                continue;
            }
            Matcher modifier = MODIFIER.matcher(term);
            if (modifier.matches()) {
                String name = modifier.group(1).toLowerCase(Locale.ROOT);
                String value = modifier.group(2);
                if (name.equals("redirect")) {
                    redirect = once(redirect, value, term);
                } else if (name.equals("exp")) {
                    explanation = once(explanation, value, term);
                }
                continue;
            }
            directives.add(directive(term));
        }
        return new SpfRecord(List.copyOf(directives), redirect, explanation);
    }

    private static String once(String previous, String value, String term) {
        if (previous != null) {
            throw SpfException.permerror("modifier given twice: " + term);
        }
        if (value.isEmpty()) {
            throw SpfException.permerror("modifier without a domain: " + term);
        }
        return value;
    }

    private static Directive directive(String term) {
        Matcher m = MECHANISM.matcher(term);
        if (!m.matches()) {
            throw SpfException.permerror("unknown term: " + term);
        }
        char qualifier = m.group(1).isEmpty() ? '+' : m.group(1).charAt(0);
        String name = m.group(2).toLowerCase(Locale.ROOT);
        String rest = m.group(3);
        return switch (name) {
            case "all" -> {
                if (!rest.isEmpty()) {
                    throw SpfException.permerror("'all' takes no argument: " + term);
                }
                yield new Directive(qualifier, Kind.ALL, null, null, 32, 128);
            }
            case "include", "exists" -> {
                if (!rest.startsWith(":") || rest.length() == 1) {
                    throw SpfException.permerror("'" + name + "' needs a domain: " + term);
                }
                yield new Directive(qualifier, name.equals("include") ? Kind.INCLUDE : Kind.EXISTS,
                        rest.substring(1), null, 32, 128);
            }
            case "ptr" -> {
                if (!rest.isEmpty() && (!rest.startsWith(":") || rest.length() == 1)) {
                    throw SpfException.permerror("bad ptr mechanism: " + term);
                }
                yield new Directive(qualifier, Kind.PTR, rest.isEmpty() ? null : rest.substring(1), null, 32, 128);
            }
            case "a", "mx" -> dualCidr(qualifier, name.equals("a") ? Kind.A : Kind.MX, rest, term);
            case "ip4", "ip6" -> ip(qualifier, name, rest, term);
            default -> throw SpfException.permerror("unknown mechanism: " + term);
        };
    }

    private static Directive dualCidr(char qualifier, Kind kind, String rest, String term) {
        Matcher m = DUAL_CIDR.matcher(rest);
        if (!m.matches()) {
            throw SpfException.permerror("bad " + kind.name().toLowerCase(Locale.ROOT) + " mechanism: " + term);
        }
        int prefix4 = prefix(m.group(2), 32, term);
        int prefix6 = prefix(m.group(3), 128, term);
        return new Directive(qualifier, kind, m.group(1), null, prefix4, prefix6);
    }

    private static int prefix(String digits, int max, String term) {
        if (digits == null) {
            return max;
        }
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)
                || digits.length() > 1 && digits.startsWith("0") || digits.length() > 3) {
            throw SpfException.permerror("bad prefix length: " + term);
        }
        int prefix = Integer.parseInt(digits);
        if (prefix > max) {
            throw SpfException.permerror("prefix length out of range: " + term);
        }
        return prefix;
    }

    private static Directive ip(char qualifier, String name, String rest, String term) {
        if (!rest.startsWith(":")) {
            throw SpfException.permerror("'" + name + "' needs a network: " + term);
        }
        String network = rest.substring(1);
        boolean v4 = name.equals("ip4");
        if (v4 ? network.contains(":") : !network.contains(":")) {
            throw SpfException.permerror("not an " + (v4 ? "IPv4" : "IPv6") + " network: " + term);
        }
        int slash = network.indexOf('/');
        if (slash >= 0) {
            prefix(network.substring(slash + 1), v4 ? 32 : 128, term);
        }
        if (v4 && !DOTTED_QUAD.matcher(slash < 0 ? network : network.substring(0, slash)).matches()) {
            throw SpfException.permerror("not an IPv4 address: " + term);
        }
        try {
            Cidr cidr = Cidr.parse(network);
            if (cidr.network().length != (v4 ? 4 : 16)) {
                throw SpfException.permerror("not an " + (v4 ? "IPv4" : "IPv6") + " network: " + term);
            }
            return new Directive(qualifier, v4 ? Kind.IP4 : Kind.IP6, null, cidr, 32, 128);
        } catch (IllegalArgumentException e) {
            throw SpfException.permerror("bad network in " + term + ": " + e.getMessage());
        }
    }
}
