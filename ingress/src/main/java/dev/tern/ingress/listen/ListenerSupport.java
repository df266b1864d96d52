package dev.tern.ingress.listen;

import dev.tern.common.policy.Policy;
import dev.tern.common.policy.PolicyHolder;
import dev.tern.common.policy.UsersFile;
import dev.tern.ingress.config.IngressConfig;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.queue.KafkaPublisher;
import dev.tern.smtp.server.SessionConfig;
import dev.tern.smtp.server.TlsInfo;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What every {@link SmtpConnection} of this pod shares: configuration, limits, metrics, the live
 * policy and users file, the Kafka publisher, and the set of open connections (for draining).
 * Thread-safe.
 */
final class ListenerSupport {

    private final IngressConfig config;
    private final String hostname;
    private final ConnectionLimiter limiter;
    private final IngressMetrics metrics;
    private final PolicyHolder policy;
    private final KafkaPublisher publisher;
    private final Executor blocking;
    private final Set<SmtpConnection> open = ConcurrentHashMap.newKeySet();
    private volatile Policy usersFor;
    private volatile UsersFile users = UsersFile.empty();

    ListenerSupport(IngressConfig config, String hostname, IngressMetrics metrics, PolicyHolder policy,
            KafkaPublisher publisher, Executor blocking) {
        this.config = config;
        this.hostname = hostname;
        this.limiter = new ConnectionLimiter(config.limits().maxConnections(), config.limits().maxConnectionsPerIp());
        this.metrics = metrics;
        this.policy = policy;
        this.publisher = publisher;
        this.blocking = blocking;
        users();
    }

    SessionConfig sessionConfig(Listener listener, TlsInfo implicitTls) {
        var limits = config.limits();
        return SessionConfig.builder(hostname)
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
    Supplier<UsersFile> users() {
        Policy p = policy.current();
        if (p != usersFor) {
            synchronized (this) {
                if (p != usersFor) {
                    users = p.relay().usersFile() == null ? UsersFile.empty() : UsersFile.load(p.relay().usersFile());
                    usersFor = p;
                }
            }
        }
        UsersFile current = users;
        return () -> current;
    }

    Supplier<Policy> policy() {
        return policy::current;
    }

    InetAddress inet(String ip) {
        try {
            return InetAddress.getByName(ip); // a literal: no DNS lookup happens
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

    void register(SmtpConnection c) {
        open.add(c);
    }

    void unregister(SmtpConnection c) {
        open.remove(c);
    }

    Set<SmtpConnection> openConnections() {
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

    Executor blocking() {
        return blocking;
    }
}
