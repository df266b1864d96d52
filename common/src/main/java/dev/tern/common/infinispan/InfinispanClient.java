package dev.tern.common.infinispan;

import dev.tern.common.config.TernConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.client.hotrod.configuration.ConfigurationBuilder;

/**
 * The service's one Hot Rod connection pool to Infinispan (shared limits, leases, journal).
 *
 * <p>Built by hand rather than through the Quarkus extension, which the registry here does not
 * serve. Short timeouts: callers have local fallbacks (docs/ARCHITECTURE.md, "Durability rules"), so a slow
 * Infinispan must fail fast rather than stall delivery. Created on first use.
 */
@ApplicationScoped
public class InfinispanClient {

    private final TernConfig config;
    private volatile RemoteCacheManager manager;

    public InfinispanClient(TernConfig config) {
        this.config = config;
    }

    public RemoteCacheManager manager() {
        RemoteCacheManager m = manager;
        if (m == null) {
            synchronized (this) {
                if (manager == null) {
                    manager = create(config.infinispan().hosts(), config.infinispan().username().orElse(null),
                            config.infinispan().password().orElse(null));
                }
                m = manager;
            }
        }
        return m;
    }

    public static RemoteCacheManager create(String hosts) {
        return create(hosts, null, null);
    }

    /** With credentials when {@code username} is set (SCRAM/DIGEST negotiated by the client). */
    public static RemoteCacheManager create(String hosts, String username, String password) {
        var b = new ConfigurationBuilder()
                .addServers(hosts)
                .connectionTimeout(2000)
                .socketTimeout(2000)
                .maxRetries(1);
        if (username != null && !username.isBlank()) {
            b.security().authentication().enable().username(username)
                    .password(password == null ? new char[0] : password.toCharArray());
        }
        return new RemoteCacheManager(b.build());
    }

    /** True when the server answers a request now. */
    public boolean ping() {
        try {
            manager().getCacheNames();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @PreDestroy
    void close() {
        if (manager != null) {
            manager.stop();
        }
    }
}
