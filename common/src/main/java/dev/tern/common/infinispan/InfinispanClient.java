package dev.tern.common.infinispan;

import dev.tern.common.config.TernConfig;
import dev.tern.common.logging.ThrottledWarning;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.client.hotrod.configuration.Configuration;
import org.jboss.logging.Logger;

/**
 * The service's one Hot Rod connection pool to Infinispan (shared limits, leases, journal).
 *
 * <p>Built by hand rather than through the Quarkus extension, which the registry here does not
 * serve; settings from {@link HotRodSettings}, read at start so a bad TLS or password file fails
 * the start. The connection is opened on first use.
 *
 * <p>Wrong credentials or an untrusted server certificate are not an outage: retrying cannot
 * fix them, so {@link #ping()} reports them in one clear line (again at most every
 * {@link #MISCONFIGURATION_LOG_INTERVAL}) and readiness stays DOWN; the pod keeps running.
 */
@ApplicationScoped
public class InfinispanClient {

    static final Duration MISCONFIGURATION_LOG_INTERVAL = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(InfinispanClient.class);

    private final TernConfig config;
    private final ThrottledWarning misconfigured = new ThrottledWarning(LOG, MISCONFIGURATION_LOG_INTERVAL);
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
            Optional<String> misconfiguration = HotRodFailures.misconfiguration(e);
            misconfiguration.ifPresent(line -> misconfigured.warn("%s", line));
            lastProblem = misconfiguration.isPresent() ? "misconfigured (see the log)" : "unreachable";
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
