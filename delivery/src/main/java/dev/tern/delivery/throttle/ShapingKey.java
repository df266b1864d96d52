package dev.tern.delivery.throttle;

import java.util.Objects;

/**
 * The name one set of limits (a connection cap, a rate, a backoff) is kept under: a destination's
 * ({@code destination} only: the domain, a route's policy entry or an MX rollup pattern), an
 * egress address's own ({@code source} only: policy {@code sources}), or a destination's limits
 * kept apart for one egress address ({@code per-source}: both).
 *
 * <p>{@link #toString()} is the one rendering of a key: the key of the shared Infinispan caches
 * (rates, leases, backoff) and of log lines. It is the text earlier releases built by hand
 * ({@code "gmail.com"}, {@code "source 10.0.0.1"}, {@code "gmail.com from 10.0.0.1"}) so that pods
 * of two releases share one set of limits during a rolling upgrade; it must not change. A
 * destination name cannot contain a space, so the forms cannot collide.
 *
 * @param destination the destination's name, or null for an egress address's own limits
 * @param source the egress address, or null for limits shared by every address
 */
public record ShapingKey(String destination, String source) {

    private static final String SOURCE = "source ";
    private static final String FROM = " from ";

    public ShapingKey {
        if (destination == null && source == null) {
            throw new IllegalArgumentException("a shaping key names a destination, an egress address or both");
        }
    }

    /** The key of a destination's limits, shared by every egress address. */
    public static ShapingKey destination(String name) {
        return new ShapingKey(Objects.requireNonNull(name, "destination"), null);
    }

    /** The key an egress address's own limits (policy {@code sources}) are kept under. */
    public static ShapingKey source(String address) {
        return new ShapingKey(null, Objects.requireNonNull(address, "address"));
    }

    /** This destination's limits kept for {@code address} alone (policy {@code per-source}). */
    public ShapingKey from(String address) {
        if (destination == null) {
            throw new IllegalStateException("an egress address's key has no per-address form: " + this);
        }
        return new ShapingKey(destination, Objects.requireNonNull(address, "address"));
    }

    /** Whether these are an egress address's own limits rather than a destination's. */
    public boolean isSource() {
        return destination == null;
    }

    /** The destination's key shared by every address ({@link #from} undone); null for an address's own key. */
    public ShapingKey shared() {
        if (destination == null) {
            return null;
        }
        return source == null ? this : new ShapingKey(destination, null);
    }

    /** The shared caches' key and the logs' name for these limits (see the class comment). */
    @Override
    public String toString() {
        if (destination == null) {
            return SOURCE + source;
        }
        return source == null ? destination : destination + FROM + source;
    }
}
