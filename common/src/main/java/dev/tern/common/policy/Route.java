package dev.tern.common.policy;

import java.nio.file.Path;
import java.util.Locale;

/**
 * One entry of the policy's {@code routes}: recipient domains matching {@link #match()} (an exact
 * domain, or {@code *.suffix} for every subdomain of suffix, or {@code *} for everything) go
 * {@link #via()}. The first matching route wins.
 *
 * @param authSecret the file {@code via}'s password was read from ({@code auth-secret}), or null;
 *                   {@link PolicyWatcher} reloads the policy when it changes
 */
public record Route(String match, Transport via, Path authSecret) {

    public Route(String match, Transport via) {
        this(match, via, null);
    }

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
