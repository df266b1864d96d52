package dev.tern.ingress.trust.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Expands SPF macros (RFC 7208 §7): {@code %{s}}, {@code l}, {@code o}, {@code d}, {@code i},
 * {@code p}, {@code v}, {@code h}, and in explanations only {@code c}, {@code r}, {@code t}; the
 * transformers (a digit count and {@code r} for reversal) and delimiters; {@code %%}, {@code %_},
 * {@code %-}; an upper-case letter URL-escapes the value (§7.3). A malformed macro is a permerror
 * (§7.1). The {@code p} value must be looked up before expanding (see {@link #needsPtr}). Stateless.
 */
final class SpfMacros {

    private static final String DELIMITERS = ".-+,/_=";
    private static final int MAX_DOMAIN = 253;

    /** What macros expand to for one check_host() call; {@code validatedName} is null until looked up. */
    record Values(SpfCheck check, String domain, String validatedName) {
    }

    private SpfMacros() {
    }

    static boolean needsPtr(String spec) {
        return spec != null && spec.toLowerCase(Locale.ROOT).contains("%{p");
    }

    /** A domain spec expanded to a domain name of at most 253 characters (§7.3: left labels dropped). */
    static String domain(String spec, Values values) {
        String expanded = expand(spec, values, false);
        while (expanded.length() > MAX_DOMAIN && expanded.indexOf('.') >= 0) {
            expanded = expanded.substring(expanded.indexOf('.') + 1);
        }
        if (expanded.endsWith(".")) {
            expanded = expanded.substring(0, expanded.length() - 1);
        }
        return expanded;
    }

    static String expand(String spec, Values values, boolean explanation) {
        var out = new StringBuilder();
        int i = 0;
        while (i < spec.length()) {
            char c = spec.charAt(i);
            if (c != '%') {
                if (c < 0x21 && !(explanation && c == ' ') || c > 0x7e) {
                    throw SpfException.permerror("bad character in macro string: " + spec);
                }
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= spec.length()) {
                throw SpfException.permerror("'%' at the end of a macro string: " + spec);
            }
            char next = spec.charAt(i + 1);
            switch (next) {
                case '%' -> out.append('%');
                case '_' -> out.append(' ');
                case '-' -> out.append("%20");
                case '{' -> {
                    int end = spec.indexOf('}', i);
                    if (end < 0) {
                        throw SpfException.permerror("unclosed macro: " + spec);
                    }
                    out.append(macro(spec.substring(i + 2, end), values, explanation, spec));
                    i = end + 1;
                    continue;
                }
                default -> throw SpfException.permerror("bad '%' escape in: " + spec);
            }
            i += 2;
        }
        return out.toString();
    }

    private static String macro(String body, Values values, boolean explanation, String spec) {
        if (body.isEmpty()) {
            throw SpfException.permerror("empty macro in: " + spec);
        }
        char letter = body.charAt(0);
        String value = value(Character.toLowerCase(letter), values, explanation, spec);
        int j = 1;
        while (j < body.length() && Character.isDigit(body.charAt(j))) {
            j++;
        }
        int keep = j == 1 ? 0 : Integer.parseInt(body.substring(1, Math.min(j, 5)));
        if (j > 1 && keep == 0) {
            throw SpfException.permerror("zero label count in macro: " + spec);
        }
        boolean reverse = j < body.length() && Character.toLowerCase(body.charAt(j)) == 'r';
        if (reverse) {
            j++;
        }
        String delimiters = body.substring(j);
        for (char d : delimiters.toCharArray()) {
            if (DELIMITERS.indexOf(d) < 0) {
                throw SpfException.permerror("bad delimiter in macro: " + spec);
            }
        }
        String result = transform(value, delimiters.isEmpty() ? "." : delimiters, keep, reverse);
        return Character.isUpperCase(letter) ? escape(result) : result;
    }

    private static String transform(String value, String delimiters, int keep, boolean reverse) {
        var parts = new ArrayList<String>();
        int start = 0;
        for (int k = 0; k < value.length(); k++) {
            if (delimiters.indexOf(value.charAt(k)) >= 0) {
                parts.add(value.substring(start, k));
                start = k + 1;
            }
        }
        parts.add(value.substring(start));
        if (reverse) {
            Collections.reverse(parts);
        }
        List<String> kept = keep > 0 && keep < parts.size() ? parts.subList(parts.size() - keep, parts.size()) : parts;
        return String.join(".", kept);
    }

    private static String value(char letter, Values values, boolean explanation, String spec) {
        SpfCheck check = values.check();
        return switch (letter) {
            case 's' -> check.sender();
            case 'l' -> check.localPart();
            case 'o' -> check.senderDomain();
            case 'd' -> values.domain();
            case 'i' -> dotted(check.ip());
            case 'p' -> values.validatedName() == null ? "unknown" : values.validatedName();
            case 'v' -> check.ip() instanceof Inet4Address ? "in-addr" : "ip6";
            case 'h' -> check.helo();
            case 'c', 'r', 't' -> {
                if (!explanation) {
                    throw SpfException.permerror("macro %{" + letter + "} is only allowed in exp: " + spec);
                }
                yield letter == 'c' ? readable(check.ip()) : letter == 'r' ? check.receiver()
                        : Long.toString(check.now().getEpochSecond());
            }
            default -> throw SpfException.permerror("unknown macro letter '" + letter + "' in: " + spec);
        };
    }

    /** {@code %{i}}: dotted quad, or 32 dot-separated nibbles for IPv6 (§7.3). */
    static String dotted(InetAddress ip) {
        byte[] a = ip.getAddress();
        if (a.length == 4) {
            return ip.getHostAddress();
        }
        var nibbles = new StringBuilder();
        for (byte b : a) {
            nibbles.append(Character.forDigit((b >> 4) & 0xf, 16)).append('.')
                    .append(Character.forDigit(b & 0xf, 16)).append('.');
        }
        return nibbles.substring(0, nibbles.length() - 1);
    }

    /** The reverse-DNS name of an address: {@code 4.3.2.1.in-addr.arpa}, or nibbles under {@code ip6.arpa}. */
    static String reverseName(InetAddress ip) {
        var labels = Arrays.asList(dotted(ip).split("\\."));
        Collections.reverse(labels);
        return String.join(".", labels) + (ip instanceof Inet4Address ? ".in-addr.arpa" : ".ip6.arpa");
    }

    private static String readable(InetAddress ip) {
        String s = ip.getHostAddress();
        int zone = s.indexOf('%');
        return zone < 0 ? s : s.substring(0, zone);
    }

    private static String escape(String value) {
        var out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 0x80 || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
