package dev.tern.delivery.throttle;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.EgressSource;
import dev.tern.common.policy.Policy;
import dev.tern.common.policy.Transport;
import dev.tern.delivery.route.RoutePlan;
import java.util.Locale;

/**
 * The name a destination's limits are kept under (docs/ARCHITECTURE.md, "Traffic shaping", shaping
 * key: a domain, or an MX rollup like every {@code *.google.com} MX): the policy's {@code mx-rollup} pattern when it
 * is set and the MX host being connected to matches it, so every domain hosted there shares one
 * bucket and one connection cap; the destination name otherwise.
 *
 * <p>Patterns are an exact host name or {@code *.suffix} (any host below {@code suffix}); matching
 * ignores case and a trailing dot. Pure functions, thread-safe.
 */
public final class ShapingKeys {

    private ShapingKeys() {
    }

    /**
     * The shaping key for {@code plan}'s mail sent to {@code host}. For MX delivery: as
     * {@link #of(String, DestinationPolicy, String)}. Through a route (smarthost, LMTP): the name
     * of the recipient domain's own policy entry, so that entry's limits hold for its mail
     * whichever way it goes and are never mixed with another domain's; domains under the
     * {@code default} entry share one key per route (the relay's connections and rate).
     */
    public static ShapingKey of(RoutePlan plan, String host) {
        if (plan.transport().kind() == Transport.Kind.MX) {
            return of(plan.destination(), plan.policy(), host);
        }
        String entry = plan.policy().name();
        return ShapingKey.destination(entry == null || entry.equals(DEFAULT_ENTRY) ? plan.destination() : entry);
    }

    private static final String DEFAULT_ENTRY = "default";

    /** The shaping key for sending to {@code destination} through {@code mxHost} (may be null). */
    public static ShapingKey of(String destination, DestinationPolicy policy, String mxHost) {
        String rollup = policy.mxRollup();
        if (rollup != null && !rollup.isBlank() && mxHost != null && matches(rollup, mxHost)) {
            return ShapingKey.destination(rollup.toLowerCase(Locale.ROOT));
        }
        return ShapingKey.destination(destination);
    }

    /** The limits of an egress address's own key ({@link ShapingKey#source}), as the gate takes them. */
    public static DestinationPolicy limitsOf(EgressSource source) {
        return source.asLimits(ShapingKey.source(source.address()).toString());
    }

    /**
     * The limits {@code policy} gives to what {@code routed} limited under {@code key}, for mail
     * routed before a reload: for an egress address's key, that address's {@code sources} limits
     * ({@code routed} when the address is no longer used); otherwise the destination entry of the
     * same name as {@code routed} (the default entry once it is gone).
     */
    public static DestinationPolicy latest(Policy policy, ShapingKey key, DestinationPolicy routed) {
        if (!key.isSource()) {
            return policy.destinationFor(routed.name());
        }
        for (DestinationPolicy d : policy.destinations().values()) {
            for (EgressSource s : d.egress()) {
                if (s.address().equals(key.source())) {
                    return limitsOf(s);
                }
            }
        }
        for (EgressSource s : policy.defaultDestination().egress()) {
            if (s.address().equals(key.source())) {
                return limitsOf(s);
            }
        }
        return routed;
    }

    static boolean matches(String pattern, String host) {
        String h = strip(host);
        String p = strip(pattern);
        if (p.startsWith("*.")) {
            return h.endsWith(p.substring(1)) && h.length() > p.length() - 1;
        }
        return h.equals(p);
    }

    private static String strip(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
