package dev.tern.ingress.listen;

import dev.tern.common.policy.Policy;
import dev.tern.common.policy.PolicyHolder;
import dev.tern.common.policy.UsersFile;
import dev.tern.ingress.session.IngressServices;
import dev.tern.ingress.trust.EdgeChecks;
import dev.tern.ingress.config.IngressConfig;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.proxy.ProxySessions;
import dev.tern.ingress.milter.MilterChain;
import dev.tern.ingress.queue.KafkaPublisher;
import dev.tern.smtp.server.Extension;
import dev.tern.smtp.server.SessionConfig;
import dev.tern.smtp.server.TlsInfo;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What every {@link SmtpServerConnection} of this pod shares: configuration, limits, metrics, the live
 * policy and users file, the Kafka publisher, and the set of open connections (for draining).
 * Thread-safe.
 */
final class ListenerSupport {

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*:[0-9a-fA-F:.]*(%[\\w.-]+)?");

    private final IngressConfig config;
    private final String hostname;
    private final ConnectionLimiter limiter;
    private final IngressMetrics metrics;
    private final PolicyHolder policy;
    private final KafkaPublisher publisher;
    private final Executor blocking;
    private final Set<SmtpServerConnection> open = ConcurrentHashMap.newKeySet();
    private final IngressServices services;
    private final ProxySessions proxy;
    private volatile Policy usersFor;
    private volatile UsersFile users = UsersFile.empty();

    ListenerSupport(IngressConfig config, String hostname, IngressMetrics metrics, PolicyHolder policy,
            KafkaPublisher publisher, Executor blocking, EdgeChecks checks, ProxySessions proxy,
            MilterChain milters) {
        this.config = config;
        this.hostname = hostname;
        this.limiter = new ConnectionLimiter(config.limits().maxConnections(), config.limits().maxConnectionsPerIp());
        this.metrics = metrics;
        this.policy = policy;
        this.publisher = publisher;
        this.blocking = blocking;
        this.proxy = proxy;
        this.services = new IngressServices(policy::current, this::users, publisher, metrics, blocking, checks, milters);
        users();
    }

    SessionConfig sessionConfig(Listener listener, TlsInfo implicitTls) {
        var limits = config.limits();
        var builder = SessionConfig.builder(hostname);
        if (listener == Listener.PROXY) {
            // The upstream authenticates nobody on our behalf: the proxy offers no AUTH.
            builder.without(Extension.AUTH);
        }
        return builder
                .maxMessageSize(limits.maxMessageBytes())
                .maxRecipients(limits.maxRecipients())
                .maxReceivedHeaders(limits.maxReceivedHeaders())
                .hardErrorLimit(limits.maxErrors())
                .junkCommandLimit(limits.maxJunkCommands())
                .authRequired(listener.authRequired())
                .implicitTls(implicitTls)
                .build();
    }

    /** The users file of the policy in force, reloaded when the policy changes. */
    UsersFile users() {
        Policy p = policy.current();
        if (p != usersFor) {
            synchronized (this) {
                if (p != usersFor) {
                    users = p.relay().usersFile() == null ? UsersFile.empty() : UsersFile.load(p.relay().usersFile());
                    usersFor = p;
                }
            }
        }
        return users;
    }

    Supplier<Policy> policy() {
        return policy::current;
    }

    /**
     * The client's address, from the literal the socket (or, with {@code tern.ingress.proxy-protocol},
     * the PROXY header) gave. Anything else is refused rather than read as some default: the
     * address decides relay trust ({@code relay.trusted-networks}), and loopback is trusted.
     * Never a DNS lookup: this runs on the event loop.
     *
     * @throws IllegalArgumentException naming the value
     */
    static InetAddress inet(String ip) {
        try {
            if (ip != null && IPV4.matcher(ip).matches()) {
                byte[] bytes = new byte[4];
                String[] parts = ip.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(parts[i]);
                    if (octet > 255) {
                        throw new UnknownHostException(ip);
                    }
                    bytes[i] = (byte) octet;
                }
                return InetAddress.getByAddress(bytes);
            }
            if (ip != null && IPV6.matcher(ip).matches()) {
                // Starts with a hex digit or ':' and holds a ':', so the JDK parses it as an IPv6
                // literal or throws; it never falls through to DNS.
                return InetAddress.getByName(ip);
            }
        } catch (UnknownHostException e) {
            // refused below
        }
        throw new IllegalArgumentException("client address '" + ip + "' is not an IP address"
                + " (from the socket, or from the PROXY header when tern.ingress.proxy-protocol=true)");
    }

    void register(SmtpServerConnection c) {
        open.add(c);
    }

    void unregister(SmtpServerConnection c) {
        open.remove(c);
    }

    Set<SmtpServerConnection> openConnections() {
        return open;
    }

    IngressConfig config() {
        return config;
    }

    String hostname() {
        return hostname;
    }

    ConnectionLimiter limiter() {
        return limiter;
    }

    IngressMetrics metrics() {
        return metrics;
    }

    KafkaPublisher publisher() {
        return publisher;
    }

    /** The proxy listener's sessions, or null when {@code tern.ingress.proxy.listen} is off. */
    ProxySessions proxy() {
        return proxy;
    }

    IngressServices services() {
        return services;
    }

    Executor blocking() {
        return blocking;
    }
}
