package dev.tern.smtp.address;

import java.util.Locale;

/**
 * Validation and normalisation of RFC 5321 §4.1.3 address literals ({@code [192.0.2.1]},
 * {@code [IPv6:2001:db8::1]}).
 *
 * <p>General-address-literals ({@code [tag:content]} with tags other than {@code IPv6}) are
 * refused: nothing registers such a tag and no MTA can route to one. Stateless.
 */
final class AddressLiterals {

    private AddressLiterals() {
    }

    /**
     * The canonical form of the literal's content (between the brackets), or {@code null} when it
     * is not a valid IPv4 or IPv6 literal. IPv4 octets lose leading zeros; the IPv6 tag is spelled
     * {@code IPv6:} and hex digits are lower case.
     */
    static String normalize(String content) {
        if (content.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String v6 = normalizeIpv6(content.substring(5));
            return v6 == null ? null : "IPv6:" + v6;
        }
        return normalizeIpv4(content);
    }

    /** {@code Snum 3("." Snum)}, each Snum 1–3 digits with a value of at most 255. */
    static String normalizeIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        var out = new StringBuilder(15);
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(value);
        }
        return out.toString();
    }

    /** IPv6-full, IPv6-comp, IPv6v4-full or IPv6v4-comp of RFC 5321 §4.1.3. */
    static String normalizeIpv6(String text) {
        String hexPart = text;
        int maxGroups = 8;
        String v4 = null;
        if (text.indexOf('.') >= 0) {
            int lastColon = text.lastIndexOf(':');
            if (lastColon < 0) {
                return null;
            }
            v4 = normalizeIpv4(text.substring(lastColon + 1));
            if (v4 == null) {
                return null;
            }
            hexPart = text.substring(0, lastColon + 1);
            // The colon before the IPv4 part is a separator unless it belongs to a "::".
            if (!hexPart.endsWith("::")) {
                hexPart = hexPart.substring(0, hexPart.length() - 1);
            }
            maxGroups = 6;
        }
        if (!validHexGroups(hexPart, maxGroups)) {
            return null;
        }
        String lower = hexPart.toLowerCase(Locale.ROOT);
        if (v4 == null) {
            return lower;
        }
        return lower.endsWith("::") ? lower + v4 : lower + ":" + v4;
    }

    private static boolean validHexGroups(String text, int maxGroups) {
        int gap = text.indexOf("::");
        if (gap < 0) {
            return countGroups(text) == maxGroups;
        }
        if (text.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        int left = countGroups(text.substring(0, gap));
        int right = countGroups(text.substring(gap + 2));
        // A "::" stands for at least one zero group, so at most maxGroups - 2 may be written.
        return left >= 0 && right >= 0 && left + right <= maxGroups - 2;
    }

    /** Number of 1–4 digit hex groups separated by single colons; 0 for "", -1 when invalid. */
    private static int countGroups(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        String[] groups = text.split(":", -1);
        for (String group : groups) {
            if (group.isEmpty() || group.length() > 4) {
                return -1;
            }
            for (int i = 0; i < group.length(); i++) {
                if (!isAsciiHex(group.charAt(i))) {
                    return -1;
                }
            }
        }
        return groups.length;
    }

    private static boolean isAsciiHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
