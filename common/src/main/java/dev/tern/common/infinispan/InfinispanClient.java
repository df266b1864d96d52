package dev.tern.common.infinispan;

import dev.tern.common.config.TernConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.client.hotrod.configuration.Configuration;

/**
 * The service's one Hot Rod connection pool to Infinispan (shared limits, leases, journal).
 *
 * <p>Built by hand rather than through the Quarkus extension, which the registry here does not
 * serve; settings from {@link HotRodSettings}, read at start so a bad TLS or password file fails
 * the start. The connection is opened on first use.
 *
 * <p>Wrong credentials or an untrusted server certificate are not an outage: retrying cannot
 * fix them, so {@link #ping()} reports them in one clear line ({@link HotRodFailures}) and
 * readiness stays DOWN; the pod keeps running.
 */
@ApplicationScoped
public class InfinispanClient {

    private final TernConfig config;
    private volatile Configuration settings;
    private volatile RemoteCacheManager manager;
    private volatile String lastProblem = "not tried yet";

    public InfinispanClient(TernConfig config) {
        this.config = config;
    }

    void checkSettingsAtStart(@Observes StartupEvent event) {
        settings();
    }

    private Configuration settings() {
        Configuration s = settings;
        if (s == null) {
            synchronized (this) {
                if (settings == null) {
                    settings = HotRodSettings.from(config.infinispan());
                }
                s = settings;
            }
        }
        return s;
    }

    public RemoteCacheManager manager() {
        RemoteCacheManager m = manager;
        if (m == null) {
            synchronized (this) {
                if (manager == null) {
                    manager = new RemoteCacheManager(settings());
                }
                m = manager;
            }
        }
        return m;
    }

    public static RemoteCacheManager create(String hosts) {
        return new RemoteCacheManager(HotRodSettings.plain(hosts, null, null).build());
    }

    /** True when the server answers a request now. */
    public boolean ping() {
        try {
            manager().getCacheNames();
            lastProblem = null;
            return true;
        } catch (RuntimeException e) {
            lastProblem = HotRodFailures.reportIfMisconfigured(e) ? "misconfigured (see the log)" : "unreachable";
            return false;
        }
    }

    /** Why the last {@link #ping()} failed ("unreachable", "misconfigured ..."), or null after a success. */
    public String lastProblem() {
        return lastProblem;
    }

    @PreDestroy
    void close() {
        if (manager != null) {
            manager.stop();
        }
    }
}
