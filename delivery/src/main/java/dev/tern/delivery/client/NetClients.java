package dev.tern.delivery.client;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Vert.x clients outbound connections are opened with: one per TLS verification mode and
 * egress address (the policy's {@code source-ip}, for pods with several addresses or IP pools;
 * none means the system's choice).
 *
 * <p>Opportunistic STARTTLS encrypts against passive eavesdropping only; like Postfix's "may"
 * level it accepts any certificate. REQUIRED destinations use a verifying client. Clients are
 * created on first use and kept for the life of the service. Thread-safe.
 */
public final class NetClients {

    private record Kind(boolean verified, String sourceIp) {
    }

    private final Vertx vertx;
    private final Map<Kind, NetClient> clients = new ConcurrentHashMap<>();

    public NetClients(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The client for a verification mode and egress address ({@code null}: any). */
    public NetClient client(boolean verified, String sourceIp) {
        return clients.computeIfAbsent(new Kind(verified, sourceIp), this::create);
    }

    private NetClient create(Kind kind) {
        var options = kind.verified()
                ? new NetClientOptions().setHostnameVerificationAlgorithm("HTTPS")
                : new NetClientOptions().setTrustAll(true).setHostnameVerificationAlgorithm("");
        options.setConnectTimeout(60_000);
        if (kind.sourceIp() != null) {
            options.setLocalAddress(kind.sourceIp());
        }
        return vertx.createNetClient(options);
    }
}
