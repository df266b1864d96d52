package dev.tern.common.policy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may send what through ingress: mail to {@link #localDomains()} is accepted from anyone;
 * mail to anywhere else only from {@link #trustedNetworks()} or an authenticated user
 * ({@link #usersFile()}, bcrypt htpasswd). Everything else is refused 554 5.7.1 by ingress.
 *
 * <p>Recipients in local domains can be validated at RCPT time: against {@link #recipientsFile()}
 * (one address a line, {@code @domain} for a catch-all), or by asking the server the domain is
 * routed to ({@link #recipientCallout()}). Either way an unknown recipient gets 550 5.1.1 and
 * never reaches the queue.
 */
public record Relay(Set<String> localDomains, List<Cidr> trustedNetworks, Path usersFile, Path recipientsFile,
        Callout recipientCallout) {

    public static final Relay NONE = new Relay(Set.of(), List.of(), null, null, Callout.OFF);

    public Relay {
        localDomains = Set.copyOf(localDomains);
        trustedNetworks = List.copyOf(trustedNetworks);
    }

    public boolean isLocalDomain(String domain) {
        return localDomains.contains(domain.toLowerCase(Locale.ROOT));
    }

    public boolean isTrusted(InetAddress client) {
        for (Cidr c : trustedNetworks) {
            if (c.contains(client)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Recipient verification by callout: ingress asks the local domain's route (LMTP or SMTP
     * server) with MAIL FROM:&lt;&gt; and RCPT TO, and caches the verdict in Infinispan for every
     * ingress pod: a known recipient for {@code cache}, an unknown one for {@code negativeCache}.
     * A temporary failure (no answer within {@code timeout}, a 4xx) is not cached and gives the
     * client a 4xx.
     */
    public record Callout(boolean enabled, Duration cache, Duration negativeCache, Duration timeout) {
        public static final Callout OFF = new Callout(false, Duration.ofHours(1), Duration.ofMinutes(10),
                Duration.ofSeconds(15));
    }
}
