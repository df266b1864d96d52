package dev.tern.common.admin;

import java.util.Locale;

/**
 * Decides one {@code /admin} request from its method and {@code Authorization} header
 * (docs/ARCHITECTURE.md, "Admin API security"; bearer tokens as in RFC 6750 §2.1 and §3):
 * no tokens configured, or a missing or unknown token, is 401; a known token whose role does not
 * allow the method is 403; anything else passes. Pure logic, so every branch is tested without a server.
 */
public final class AdminAccess {

    /** The outcome: {@code status} 0 lets the request through; {@code token} is null when none matched. */
    public record Verdict(int status, AdminToken token, String error) {

        public boolean allowed() {
            return status == 0;
        }

        /** The name audit records show: the token's, or {@code -} when none matched. */
        public String who() {
            return token == null ? "-" : token.name();
        }
    }

    private static final String SCHEME = "bearer ";

    private AdminAccess() {
    }

    public static Verdict decide(AdminTokens tokens, String method, String authorization) {
        if (!tokens.configured()) {
            return new Verdict(401, null, "admin tokens are not configured on this service ("
                    + AdminTokensException.KEY + "), so the admin API is closed");
        }
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            return new Verdict(401, null, "an admin token is required: Authorization: Bearer <token>");
        }
        String presented = authorization.substring(SCHEME.length()).strip();
        var token = presented.isEmpty() ? null : tokens.match(presented).orElse(null);
        if (token == null) {
            return new Verdict(401, null, "the admin token is not valid");
        }
        if (!token.role().allows(method)) {
            return new Verdict(403, token, "token '" + token.name() + "' is a " + token.role().label()
                    + " token, which may only read (GET, HEAD); " + method + " needs an operator token");
        }
        return new Verdict(0, token, null);
    }
}
