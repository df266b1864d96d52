package dev.tern.ingress.trust.spf;

import dev.tern.ingress.authres.MethodResult;
import java.util.List;

/**
 * The outcome of one SPF check: the result, the identity checked ({@code mailfrom} or
 * {@code helo}, RFC 8601 §2.7.2) and the domain it was checked for, and a text: for {@code fail}
 * the expanded {@code exp=} explanation when the domain publishes one (RFC 7208 §6.2, else null),
 * for the error results what went wrong.
 */
public record SpfVerdict(SpfResult result, String identity, String domain, String explanation, String problem) {

    /**
     * This verdict as an Authentication-Results {@code resinfo} (RFC 8601 §2.7.2):
     * {@code spf=pass smtp.mailfrom=example.org}, or {@code smtp.helo=...} for the HELO identity.
     */
    public MethodResult methodResult() {
        String reason = problem != null ? problem : null;
        return new MethodResult("spf", result.keyword(), reason,
                List.of(new MethodResult.Property("smtp", identity, domain == null ? "" : domain)));
    }

    static SpfVerdict of(SpfResult result, String identity, String domain) {
        return new SpfVerdict(result, identity, domain, null, null);
    }
}
