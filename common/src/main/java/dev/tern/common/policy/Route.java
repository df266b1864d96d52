package dev.tern.common.policy;

import java.util.Locale;

/**
 * One entry of the policy's {@code routes}: recipient domains matching {@link #match()} (an exact
 * domain, or {@code *.suffix} for every subdomain of suffix, or {@code *} for everything) go
 * {@link #via()}. The first matching route wins.
 */
public record Route(String match, Transport via) {

    public boolean matches(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (match.equals("*")) {
            return true;
        }
        if (match.startsWith("*.")) {
            return d.endsWith(match.substring(1));
        }
        return d.equals(match);
    }
}
