package dev.tern.common.policy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may send what through ingress: mail to {@link #localDomains()} is accepted from anyone;
 * mail to anywhere else only from {@link #trustedNetworks()} or an authenticated user
 * ({@link #usersFile()}, bcrypt htpasswd). Everything else is refused 554 5.7.1 by ingress.
 */
public record Relay(Set<String> localDomains, List<Cidr> trustedNetworks, Path usersFile) {

    public static final Relay NONE = new Relay(Set.of(), List.of(), null);

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
}
