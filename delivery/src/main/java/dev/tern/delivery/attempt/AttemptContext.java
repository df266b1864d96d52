package dev.tern.delivery.attempt;

import dev.tern.delivery.route.RoutePlan;

/**
 * Where one recipient's attempt went, as the event ledger and the metrics name it. Built up as the
 * attempt learns more: {@link #of(RoutePlan)} once routed, {@link #viaHost} once a hop was chosen,
 * {@link #withTls} once the connection is up. Unknown parts are null.
 *
 * @param destination      destination name (domain or route transport)
 * @param destinationClass bounded metric label ({@code mx} or the route)
 * @param transport        {@code mx}, {@code smtp://...}, {@code lmtp://...}
 * @param mxHost           host that gave the reply (or was tried last)
 * @param mxIp             its address
 * @param tls              TLS protocol and cipher of the connection
 */
public record AttemptContext(String destination, String destinationClass, String transport, String mxHost,
        String mxIp, String tls) {

    /** Nothing known: the attempt never got as far as routing. */
    public static final AttemptContext NONE = new AttemptContext(null, null, null, null, null, null);

    /** The destination a route plan names, no host chosen yet. */
    public static AttemptContext of(RoutePlan plan) {
        return new AttemptContext(plan.destination(), plan.destinationClass(), plan.transport().toString(), null, null,
                null);
    }

    /** The same with the host tried (and its address, or null when unknown). */
    public AttemptContext viaHost(String host, String ip) {
        return new AttemptContext(destination, destinationClass, transport, host, ip, tls);
    }

    /** The same with the connection's TLS protocol and cipher (null for plain text). */
    public AttemptContext withTls(String connectionTls) {
        return new AttemptContext(destination, destinationClass, transport, mxHost, mxIp, connectionTls);
    }
}
