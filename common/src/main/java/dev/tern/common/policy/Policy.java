package dev.tern.common.policy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operator's policy file, validated (DESIGN.md "Configuration"): relay rules, routes,
 * per-destination shaping, the retry ladder and queue lifetimes. Immutable; a reload builds a new
 * one ({@link PolicyWatcher}). Parse with {@link PolicyParser}.
 */
public record Policy(
        Relay relay,
        List<Route> routes,
        DestinationPolicy defaultDestination,
        Map<String, DestinationPolicy> destinations,
        List<Duration> retry,
        Duration maxQueueLifetime,
        Duration delayNoticeAfter) {

    public static final List<Duration> DEFAULT_RETRY = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(6));

    public Policy {
        routes = List.copyOf(routes);
        destinations = Map.copyOf(destinations);
        retry = List.copyOf(retry);
    }

    /** The transport for a recipient domain: the first matching route, else MX. */
    public Transport transportFor(String domain) {
        for (Route r : routes) {
            if (r.matches(domain)) {
                return r.via();
            }
        }
        return Transport.MX;
    }

    /** The shaping that applies to a domain by name; MX rollups are resolved by the delivery service. */
    public DestinationPolicy destinationFor(String domain) {
        return destinations.getOrDefault(domain.toLowerCase(Locale.ROOT), defaultDestination);
    }
}
