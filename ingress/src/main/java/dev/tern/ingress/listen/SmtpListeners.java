package dev.tern.ingress.listen;

import dev.tern.common.config.TernConfig;
import dev.tern.common.dns.DnsjavaLookup;
import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.common.policy.PolicyException;
import dev.tern.common.policy.PolicyHolder;
import dev.tern.ingress.config.IngressConfig;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.proxy.ProxyContentCheck;
import dev.tern.ingress.proxy.ProxySessions;
import dev.tern.ingress.proxy.ProxySettings;
import dev.tern.ingress.milter.MilterChain;
import dev.tern.ingress.queue.KafkaPublisher;
import dev.tern.ingress.tls.TlsMaterial;
import dev.tern.ingress.trust.EdgeChecks;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SSLOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Opens the SMTP ports at start-up and drains them at shutdown.
 *
 * <p>One listening server per event loop and port (Vert.x spreads accepted connections across
 * them), so sessions use every core. A port that cannot be bound fails the start. The TLS
 * certificate is re-read when its files change (cert-manager renewals) without a restart.
 *
 * <p>SIGTERM: new connections get {@code 421 4.3.2}, idle sessions are told {@code 421 4.3.2}
 * now and busy ones right after their transaction ends, and the pod exits when the last session
 * has closed or {@code tern.ingress.drain-timeout} has passed.
 */
@ApplicationScoped
public class SmtpListeners {

    private static final Logger LOG = Logger.getLogger(SmtpListeners.class);

    private final Vertx vertx;
    private final IngressConfig config;
    private final ListenerSupport support;
    private final TlsMaterial tls;
    private final ExecutorService blocking;
    private final Map<Listener, Integer> ports = new EnumMap<>(Listener.class);
    private final List<NetServer> servers = new ArrayList<>();
    private long tlsTimer = -1;

    public SmtpListeners(Vertx vertx, IngressConfig config, TernConfig tern, IngressMetrics metrics,
            PolicyHolder policy, KafkaPublisher publisher, InfinispanClient infinispan, MilterChain milters) {
        this.vertx = vertx;
        this.config = config;
        String hostname = config.hostname().orElseGet(SmtpListeners::localHostname);
        this.tls = new TlsMaterial(config.tls(), hostname);
        this.blocking = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 4),
                r -> {
                    Thread t = new Thread(r, "tern-ingress-blocking");
                    t.setDaemon(true);
                    return t;
                });
        var checks = EdgeChecks.create(DnsjavaLookup.fromConfig(tern.dns()), hostname, metrics, Clock.systemUTC(),
                infinispan::manager, blocking);
        // A recipients file that cannot be read or parsed stops the start, naming the key.
        var recipients = policy.current().relay().recipientsFile();
        if (recipients != null) {
            try {
                checks.recipientsFiles().watch(recipients);
            } catch (RuntimeException e) {
                throw new PolicyException("relay.recipients", e.getMessage());
            }
        }
        this.support = new ListenerSupport(config, hostname, metrics, policy, publisher, blocking, checks,
                proxySessions(vertx, config, metrics, hostname, policy, milters), milters);
        metrics.activeSessions(support.limiter()::active);
    }

    void onStart(@Observes StartupEvent event) throws Exception {
        var bound = new ConcurrentHashMap<Listener, Integer>();
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        var options = new DeploymentOptions().setInstances(instances);
        vertx.deployVerticle(() -> new ListenerVerticle(bound), options)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        ports.putAll(bound);
        tlsTimer = vertx.setPeriodic(config.tls().reloadInterval().toMillis(), id -> reloadTls());
        LOG.infof("SMTP listening on %s: %s", config.bindAddress(), ports);
    }

    /** The port a listener is bound to (the real one when configured as 0), or -1 when disabled. */
    public int port(Listener listener) {
        return ports.getOrDefault(listener, -1);
    }

    public int activeSessions() {
        return support.limiter().active();
    }

    void onStop(@Observes ShutdownEvent event) {
        support.limiter().startDraining();
        if (tlsTimer >= 0) {
            vertx.cancelTimer(tlsTimer);
        }
        LOG.infof("draining %d SMTP session(s)", support.openConnections().size());
        support.openConnections().forEach(SmtpServerConnection::drain);
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (!support.openConnections().isEmpty() && System.nanoTime() < deadline) {
            sleep(100);
        }
        support.openConnections().forEach(SmtpServerConnection::forceClose);
        synchronized (servers) {
            servers.forEach(NetServer::close);
        }
        blocking.shutdown();
    }

    private void reloadTls() {
        if (!tls.changed()) {
            return;
        }
        var ssl = new SSLOptions().setKeyCertOptions(tls.options());
        synchronized (servers) {
            for (NetServer s : servers) {
                // force: the paths are unchanged, so without it Vert.x sees equal options and keeps the old context.
                s.updateSSLOptions(ssl, true);
            }
        }
        LOG.info("TLS certificate reloaded");
    }

    /** One instance per event loop: binds every enabled port on its own context. */
    private final class ListenerVerticle extends AbstractVerticle {
        private final Map<Listener, Integer> bound;

        ListenerVerticle(Map<Listener, Integer> bound) {
            this.bound = bound;
        }

        @Override
        public void start(Promise<Void> started) {
            List<Future<?>> all = new ArrayList<>();
            listen(Listener.SMTP, config.smtpPort(), all);
            listen(Listener.SUBMISSION, config.submissionPort(), all);
            listen(Listener.SMTPS, config.smtpsPort(), all);
            listen(Listener.PROXY, config.proxy().listen(), all);
            Future.all(all).<Void>mapEmpty().onComplete(started);
        }

        private void listen(Listener listener, int configured, List<Future<?>> all) {
            if (configured < 0) {
                return;
            }
            // Port 0 (tests only): each instance binds an ephemeral port of its own and the first one
            // bound is the listener's port, so in tests one event loop serves each listener. Asking
            // for the port the first instance got, to share it, raced that instance's registration
            // in Vert.x and failed a CI run with "Address already in use". Real ports are shared by
            // every instance as before.
            int port = configured;
            var options = new NetServerOptions()
                    .setHost(config.bindAddress())
                    .setPort(port)
                    .setTcpNoDelay(true)
                    .setReuseAddress(true)
                    .setKeyCertOptions(tls.options())
                    .setSsl(listener.implicitTls())
                    .setUseProxyProtocol(config.proxyProtocol());
            NetServer server = vertx.createNetServer(options);
            server.connectHandler(socket -> new SmtpServerConnection(socket, context, support, listener).start());
            synchronized (servers) {
                servers.add(server);
            }
            all.add(server.listen().onSuccess(s -> bound.putIfAbsent(listener, s.actualPort()))
                    .recover(e -> Future.failedFuture(new IllegalStateException("cannot listen on "
                            + config.bindAddress() + ":" + options.getPort() + " (" + listener.label() + "): "
                            + e.getMessage(), e))));
        }
    }

    /**
     * The proxy listener's sessions when {@code tern.ingress.proxy.listen} is set, else null. Its
     * settings are checked here, so a bad one fails the start naming its key.
     */
    private static ProxySessions proxySessions(Vertx vertx, IngressConfig config, IngressMetrics metrics,
            String hostname, PolicyHolder policy, MilterChain milters) {
        if (config.proxy().listen() < 0) {
            return null;
        }
        ProxySettings settings = ProxySettings.from(config.proxy());
        return new ProxySessions(vertx, settings, ProxyContentCheck.milters(milters, policy::current, settings.milters()),
                metrics, hostname);
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
