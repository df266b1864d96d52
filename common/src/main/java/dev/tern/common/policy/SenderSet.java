package dev.tern.common.policy;

import java.util.Locale;
import java.util.Set;

/**
 * The addresses and domains one authenticated user may send as (the third field of the users
 * file: {@code alice:$2y$...:alice@example.org,@example.net}). {@code @domain} covers every address
 * in that domain and its subdomains. Domains compare case-insensitively; local parts exactly
 * (RFC 5321 §2.4), except that a {@code +detail} subaddress is the same sender as its base.
 */
public record SenderSet(Set<String> addresses, Set<String> domains) {

    public SenderSet {
        addresses = Set.copyOf(addresses);
        domains = Set.copyOf(domains);
    }

    /** Parses {@code a@b,@c} as written in the users file; null when an entry is not an address or domain. */
    static SenderSet parse(String field) {
        var addresses = new java.util.HashSet<String>();
        var domains = new java.util.HashSet<String>();
        for (String raw : field.split(",")) {
            String entry = raw.strip();
            int at = entry.lastIndexOf('@');
            if (at < 0 || at == entry.length() - 1 || entry.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>')) {
                return null;
            }
            String domain = entry.substring(at + 1).toLowerCase(Locale.ROOT);
            if (at == 0) {
                domains.add(domain);
            } else {
                addresses.add(entry.substring(0, at) + "@" + domain);
            }
        }
        return addresses.isEmpty() && domains.isEmpty() ? null : new SenderSet(addresses, domains);
    }

    /** Whether {@code address} ({@code local@domain}) is one this user may send as. */
    public boolean allows(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return false;
        }
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        String local = address.substring(0, at);
        if (owns(domain)) {
            return true;
        }
        if (addresses.contains(local + "@" + domain)) {
            return true;
        }
        int plus = local.indexOf('+');
        return plus > 0 && addresses.contains(local.substring(0, plus) + "@" + domain);
    }

    /**
     * Whether the user owns {@code domain} outright ({@code @domain} or a parent of it): only then
     * may Tern DKIM-sign for it on the user's behalf, since a signature vouches for the whole domain.
     */
    public boolean owns(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        while (true) {
            if (domains.contains(d)) {
                return true;
            }
            int dot = d.indexOf('.');
            if (dot < 0) {
                return false;
            }
            d = d.substring(dot + 1);
        }
    }
}
