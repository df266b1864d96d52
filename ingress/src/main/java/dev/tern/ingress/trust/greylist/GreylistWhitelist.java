package dev.tern.ingress.trust.greylist;

import dev.tern.common.policy.Checks;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Set;

/**
 * The greylisting exemptions of a policy: client networks ({@code clientWhitelist}) and domains
 * ({@code domainWhitelist}) that exempt mail from or to them, subdomains included, since
 * senders known to retry badly (some bulk and ticketing systems) send from many hosts of
 * {@code mail.example.com}-style names.
 */
public final class GreylistWhitelist {

    private GreylistWhitelist() {
    }

    /** Whether the client, the sender's domain or the recipient's domain is exempt. */
    public static boolean exempts(Checks.Greylisting policy, InetAddress client, String sender, String recipient) {
        if (policy.clientWhitelist().stream().anyMatch(c -> c.contains(client))) {
            return true;
        }
        return listed(policy.domainWhitelist(), Triplet.domainOf(sender))
                || listed(policy.domainWhitelist(), Triplet.domainOf(recipient));
    }

    /**
     * {@code domain} is an entry or a subdomain of one; {@code d}, {@code .d}, {@code *.d} and
     * {@code d.} all mean d and its subdomains.
     */
    static boolean listed(Set<String> entries, String domain) {
        if (domain.isEmpty()) {
            return false;
        }
        String d = trimDot(domain);
        for (String entry : entries) {
            String e = trimDot(entry.trim().toLowerCase(Locale.ROOT));
            if (e.startsWith("*.")) {
                e = e.substring(2);
            } else if (e.startsWith(".")) {
                e = e.substring(1);
            }
            if (!e.isEmpty() && (d.equals(e) || d.endsWith("." + e))) {
                return true;
            }
        }
        return false;
    }

    private static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
