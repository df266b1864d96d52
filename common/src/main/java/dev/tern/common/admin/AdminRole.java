package dev.tern.common.admin;

import java.util.Locale;

/**
 * What an admin token may do (docs/ARCHITECTURE.md, "Admin API security"): a {@link #VIEWER}
 * reads ({@code GET}, {@code HEAD}); an {@link #OPERATOR} may also change things (every method).
 */
public enum AdminRole {
    VIEWER,
    OPERATOR;

    /** Whether this role may send a request with {@code method} (an HTTP method name, any case). */
    public boolean allows(String method) {
        return this == OPERATOR || isRead(method);
    }

    /** GET and HEAD: the methods that only read, which a viewer may use and which are not audited. */
    public static boolean isRead(String method) {
        String m = method.toUpperCase(Locale.ROOT);
        return m.equals("GET") || m.equals("HEAD");
    }

    /** {@code viewer} or {@code operator}, as written in the tokens file; null for anything else. */
    public static AdminRole named(String text) {
        return switch (text) {
            case "viewer" -> VIEWER;
            case "operator" -> OPERATOR;
            default -> null;
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
