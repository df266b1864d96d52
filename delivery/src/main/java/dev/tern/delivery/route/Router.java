package dev.tern.delivery.route;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.Policy;
import dev.tern.common.policy.Transport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides where a recipient domain's mail goes on this attempt (DESIGN.md "Delivery rules"):
 * the policy's routes first (first match wins: smarthost or LMTP server), then MX lookup.
 *
 * <p>Destination naming: MX delivery is shaped and suspended per recipient domain; a route is one
 * destination named after its transport, because every domain relayed to one smarthost shares its
 * connections. Shaping for a route comes from the policy entry of the recipient domain (or the
 * default). Thread-safe; the policy is passed per call so a live reload applies to the next message.
 */
public final class Router {

    /** Metric label for MX delivery. */
    public static final String MX_CLASS = "mx";

    private final MxResolver mx;

    public Router(MxResolver mx) {
        this.mx = mx;
    }

    public CompletionStage<RoutePlan> route(String domain, Policy policy) {
        Transport transport = policy.transportFor(domain);
        DestinationPolicy shaping = policy.destinationFor(domain);
        if (transport.kind() != Transport.Kind.MX) {
            String name = transport.toString();
            var hop = new NextHop(transport.host(), literalOrNull(transport.host()), transport.port());
            return CompletableFuture.completedFuture(
                    new RoutePlan(name, name, transport, shaping, List.of(hop), null));
        }
        return mx.resolve(domain).thenApply(r -> r.failure() != null
                ? RoutePlan.failed(domain, MX_CLASS, transport, shaping, r.failure())
                : new RoutePlan(domain, MX_CLASS, transport, shaping, r.hops(), null));
    }

    private static String literalOrNull(String host) {
        return host.matches("[0-9.]+") || host.contains(":") ? host : null;
    }
}
