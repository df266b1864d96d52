package dev.tern.delivery.route;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.Policy;
import dev.tern.common.policy.Transport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides where a recipient domain's mail goes on this attempt (docs/ARCHITECTURE.md, "Delivery rules"):
 * an operator's reroute order first (by recipient domain, then by the name of the policy route it
 * would take; docs/ARCHITECTURE.md, "Queue actions"), the policy's routes next (first match wins:
 * smarthost or LMTP server), then MX lookup.
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
    private final Reroutes controls;

    public Router(MxResolver mx, Reroutes controls) {
        this.mx = mx;
        this.controls = controls;
    }

    public CompletionStage<RoutePlan> route(String domain, Policy policy) {
        // Policy keys are A-labels (the parser accepts only LDH names): match an IDN by them.
        String name = aLabels(domain);
        Transport transport = transportFor(name, policy, controls);
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

    /**
     * The destination name {@code domain}'s mail counts under: its route's transport, or the
     * domain itself for MX delivery (what suspend, bounce and queue actions name).
     */
    public static String destinationName(String domain, Policy policy, Reroutes controls) {
        Transport t = transportFor(aLabels(domain), policy, controls);
        return t.kind() == Transport.Kind.MX ? domain : t.toString();
    }

    private static Transport transportFor(String name, Policy policy, Reroutes controls) {
        Transport configured = policy.transportFor(name);
        return controls.rerouteFor(name)
                .or(() -> configured.kind() == Transport.Kind.MX ? java.util.Optional.empty()
                        : controls.rerouteFor(configured.toString()))
                .orElse(configured);
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
