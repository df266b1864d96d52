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
    public static String of(RoutePlan plan, String host) {
        if (plan.transport().kind() == Transport.Kind.MX) {
            return of(plan.destination(), plan.policy(), host);
        }
        String entry = plan.policy().name();
        return entry == null || entry.equals(DEFAULT_ENTRY) ? plan.destination() : entry;
    }

    private static final String DEFAULT_ENTRY = "default";

    /** The shaping key for sending to {@code destination} through {@code mxHost} (may be null). */
    public static String of(String destination, DestinationPolicy policy, String mxHost) {
        String rollup = policy.mxRollup();
        if (rollup != null && !rollup.isBlank() && mxHost != null && matches(rollup, mxHost)) {
            return rollup.toLowerCase(Locale.ROOT);
        }
        return destination;
    }

    /**
     * The key an egress address's own limits (policy {@code sources}) are kept under; the prefix
     * keeps it apart from every destination name, which cannot contain a space.
     */
    public static String ofSource(String address) {
        return SOURCE + address;
    }

    /** Whether {@code key} is an egress address's key ({@link #ofSource}) rather than a destination's. */
    public static boolean isSource(String key) {
        return key.startsWith(SOURCE);
    }

    private static final String SOURCE = "source ";
    private static final String FROM = " from ";

    /**
     * The key a destination's limits are kept under for one egress address when its policy says
     * {@code per-source} ({@code "<key> from <address>"}); {@link #destinationOf} gives the key back.
     */
    public static String fromSource(String key, String address) {
        return key + FROM + address;
    }

    /** The destination's key of a {@link #fromSource} key; any other key unchanged. */
    public static String destinationOf(String key) {
        int at = key.indexOf(FROM);
        return at < 0 ? key : key.substring(0, at);
    }

    /**
     * The limits {@code policy} gives to what {@code routed} limited, for mail routed before a
     * reload: the destination entry of the same name (the default entry once it is gone), or the
     * egress address's {@code sources} limits, or {@code routed} when the address is no longer used.
     */
    public static DestinationPolicy latest(Policy policy, DestinationPolicy routed) {
        String name = routed.name();
        if (!isSource(name)) {
            return policy.destinationFor(name);
        }
        String address = name.substring(SOURCE.length());
        for (DestinationPolicy d : policy.destinations().values()) {
            for (EgressSource s : d.egress()) {
                if (s.address().equals(address)) {
                    return s.asLimits(name);
                }
            }
        }
        for (EgressSource s : policy.defaultDestination().egress()) {
            if (s.address().equals(address)) {
                return s.asLimits(name);
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
