package dev.tern.common.policy;

import java.time.Duration;
import java.util.List;

/**
 * Shaping for one destination (a recipient domain, or every domain whose MX hosts match
 * {@link #mxRollup()}), from the policy's {@code destinations} map. Unset keys inherit the
 * {@code default} entry, and that entry's unset keys the defaults in code ({@link #BUILT_IN}).
 *
 * @param name                     the map key: a domain, or {@code default}
 * @param mxRollup                 pattern like {@code *.google.com}: all domains whose MX matches share limits
 * @param maxConnections           concurrent connections cluster-wide
 * @param maxMessagesPerConnection messages sent over one connection before it is closed
 * @param rate                     messages per period cluster-wide, or null for unlimited
 * @param tls                      outbound TLS requirement
 * @param connectTimeout           TCP connect plus greeting
 * @param commandTimeout           per command reply (RFC 5321 §4.5.3.2 suggests 5 minutes)
 * @param dataTimeout              final reply after the end of data (RFC 5321: 10 minutes)
 * @param backoff                  how long the destination pauses cluster-wide after a 421 or 4.7.x rate reply
 * @param egress                   egress addresses to bind, from {@code source-ip} (one) or
 *                                 {@code source-pool} (several, used in turn); empty for the system's choice
 * @param perSource                {@code per-source}: {@code rate} and {@code max-connections} hold per egress
 *                                 address of {@link #egress()} (each address its own bucket and connection
 *                                 cap, as receivers such as Gmail count them) instead of across all of them
 */
public record DestinationPolicy(
        String name,
        String mxRollup,
        int maxConnections,
        int maxMessagesPerConnection,
        Rate rate,
        TlsMode tls,
        Duration connectTimeout,
        Duration commandTimeout,
        Duration dataTimeout,
        Duration backoff,
        List<EgressSource> egress,
        boolean perSource) {

    public DestinationPolicy {
        egress = egress == null ? List.of() : List.copyOf(egress);
    }

    /** Limits shared across the egress addresses ({@code per-source: false}). */
    public DestinationPolicy(String name, String mxRollup, int maxConnections, int maxMessagesPerConnection,
            Rate rate, TlsMode tls, Duration connectTimeout, Duration commandTimeout, Duration dataTimeout,
            Duration backoff, List<EgressSource> egress) {
        this(name, mxRollup, maxConnections, maxMessagesPerConnection, rate, tls, connectTimeout, commandTimeout,
                dataTimeout, backoff, egress, false);
    }

    public static final DestinationPolicy BUILT_IN = new DestinationPolicy("default", null, 20, 100, null,
            TlsMode.OPPORTUNISTIC, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(1), List.of());
}
