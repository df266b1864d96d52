package dev.tern.ingress.proxy;

import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.session.SessionFacts;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Opens the upstream session for each client session of the proxy listener and gives back the
 * {@link ProxySessionPolicy} that relays it. Opportunistic and required STARTTLS accept any
 * certificate (they protect against passive eavesdropping, like Postfix's "may" and "encrypt");
 * {@code verify} checks the chain against the JVM's trust store and the upstream's host name.
 * Thread-safe.
 */
public final class ProxySessions {

    private final Vertx vertx;
    private final ProxySettings settings;
    private final ProxyContentCheck check;
    private final IngressMetrics metrics;
    private final String hostname;
    private final NetClient client;

    public ProxySessions(Vertx vertx, ProxySettings settings, ProxyContentCheck check, IngressMetrics metrics,
            String hostname) {
        this.vertx = vertx;
        this.settings = settings;
        this.check = check;
        this.metrics = metrics;
        this.hostname = hostname;
        var options = settings.verifyTls()
                ? new NetClientOptions().setHostnameVerificationAlgorithm("HTTPS")
                : new NetClientOptions().setTrustAll(true).setHostnameVerificationAlgorithm("");
        this.client = vertx.createNetClient(options.setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis())));
    }

    /**
     * Starts opening the upstream session for a client that just connected; call on the client
     * connection's event loop, which {@code onContext} runs tasks on.
     */
    public ProxySessionPolicy open(SessionFacts facts, Executor onContext) {
        metrics.proxySessionOpened();
        CompletableFuture<Upstream> upstream = UpstreamConnection.open(vertx, client, settings, hostname);
        upstream.whenComplete((u, e) -> {
            if (e != null) {
                metrics.proxyUpstreamFailure("connect");
            }
        });
        return new ProxySessionPolicy(facts, upstream, check, metrics, onContext);
    }

    public ProxySettings settings() {
        return settings;
    }
}
