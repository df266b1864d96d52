package dev.tern.ingress.trust.spf;

/**
 * The outcome of one SPF check: the result, the identity checked ({@code mailfrom} or
 * {@code helo}, RFC 8601 §2.7.2) and the domain it was checked for, and a text: for {@code fail}
 * the expanded {@code exp=} explanation when the domain publishes one (RFC 7208 §6.2, else null),
 * for the error results what went wrong.
 */
public record SpfVerdict(SpfResult result, String identity, String domain, String explanation, String problem) {

    static SpfVerdict of(SpfResult result, String identity, String domain) {
        return new SpfVerdict(result, identity, domain, null, null);
    }
}
