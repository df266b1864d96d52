package dev.tern.delivery.route;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.Policy;
import dev.tern.common.policy.Transport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides where a recipient domain's mail goes on this attempt (docs/ARCHITECTURE.md, "Delivery rules"):
 * the policy's routes first (first match wins: smarthost or LMTP server), then MX lookup.
 *
 * <p>Destination naming: MX delivery is shaped and suspended per recipient domain; a route is one
 * destination named after its transport (suspended as one), because every domain relayed to one
 * smarthost shares its connections. Shaping for a route comes from the policy entry of the
 * recipient domain: a domain with an entry of its own keeps that entry's limits, the rest share
 * the default entry's per route ({@code ShapingKeys.of(RoutePlan, String)}). Thread-safe; the policy is passed per call so a live reload applies to the next message.
 */
public final class Router {

    /** Metric label for MX delivery. */
    public static final String MX_CLASS = "mx";

    private final MxResolver mx;

    public Router(MxResolver mx) {
        this.mx = mx;
    }

    public CompletionStage<RoutePlan> route(String domain, Policy policy) {
        // Policy keys are A-labels (the parser accepts only LDH names): match an IDN by them.
        String name = aLabels(domain);
        Transport transport = policy.transportFor(name);
        DestinationPolicy shaping = policy.destinationFor(name);
        if (transport.kind() != Transport.Kind.MX) {
            String via = transport.toString();
            var hop = new NextHop(transport.host(), literalOrNull(transport.host()), transport.port());
            return CompletableFuture.completedFuture(
                    new RoutePlan(via, via, transport, shaping, List.of(hop), null));
        }
        return mx.resolve(domain).thenApply(r -> r.failure() != null
                ? RoutePlan.failed(domain, MX_CLASS, transport, shaping, r.failure())
                : new RoutePlan(domain, MX_CLASS, transport, shaping, r.hops(), null));
    }

    private static String aLabels(String domain) {
        try {
            return java.net.IDN.toASCII(domain, java.net.IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return domain; // MxResolver refuses it with 5.1.2
        }
    }

    private static String literalOrNull(String host) {
        return host.matches("[0-9.]+") || host.contains(":") ? host : null;
    }
}
