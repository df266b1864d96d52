package dev.tern.common.policy;

/**
 * One egress address of the delivery pods (policy {@code sources}), with limits that hold for
 * everything sent from it, whatever the destination: a new address warming up its reputation
 * ({@code rate: 1000/h}), or a provider's cap per sending IP. Destinations pick their addresses
 * with {@code source-ip} or {@code source-pool}; an address without an entry has no limits of its own.
 *
 * @param address        IP literal the connections are bound to
 * @param maxConnections concurrent connections from this address cluster-wide; 0 for no limit
 * @param rate           messages per period from this address cluster-wide, or null for no limit
 */
public record EgressSource(String address, int maxConnections, Rate rate) {

    /** An address with no limits of its own. */
    public static EgressSource unlimited(String address) {
        return new EgressSource(address, 0, null);
    }

    public boolean limitsConnections() {
        return maxConnections > 0;
    }

    /**
     * These limits in the shape the shaping gate reads ({@code max-connections}, {@code rate}),
     * under {@code name}: the gate keeps sources and destinations alike, each by its own key.
     */
    public DestinationPolicy asLimits(String name) {
        DestinationPolicy b = DestinationPolicy.BUILT_IN;
        return new DestinationPolicy(name, null, limitsConnections() ? maxConnections : Integer.MAX_VALUE,
                b.maxMessagesPerConnection(), rate, b.tls(), b.connectTimeout(), b.commandTimeout(), b.dataTimeout(),
                b.backoff(), null);
    }
}
