package dev.tern.ingress.authres;

import java.util.List;
import java.util.Objects;

/**
 * One {@code resinfo} of an {@code Authentication-Results} header field (RFC 8601 §2.2), e.g.
 * {@code dkim=pass header.d=example.org}.
 *
 * @param method     the method, e.g. {@code dkim}, {@code spf}, {@code dmarc}
 * @param result     the result keyword, e.g. {@code pass}
 * @param reason     a human-readable reason, or null for none
 * @param properties the {@code ptype.property=value} pairs, in order
 * @param comment    a comment written after the result (RFC 8601 §2.2 allows CFWS there), e.g.
 *                   DMARC's {@code p=reject dis=none}; null for none
 */
public record MethodResult(String method, String result, String reason, List<Property> properties, String comment) {

    /**
     * One property.
     *
     * @param type  the ptype, e.g. {@code header}, {@code smtp}, {@code policy}
     * @param name  the property, e.g. {@code d}
     * @param value the value
     */
    public record Property(String type, String name, String value) {
        public Property {
            Objects.requireNonNull(type);
            Objects.requireNonNull(name);
            Objects.requireNonNull(value);
        }
    }

    public MethodResult {
        Objects.requireNonNull(method);
        Objects.requireNonNull(result);
        properties = List.copyOf(properties);
    }

    /** A result without a comment. */
    public MethodResult(String method, String result, String reason, List<Property> properties) {
        this(method, result, reason, properties, null);
    }
}
