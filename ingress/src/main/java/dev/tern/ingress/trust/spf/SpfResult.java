package dev.tern.ingress.trust.spf;

import java.util.Locale;

/** The seven results of an SPF check (RFC 7208 §2.6), kept distinct: temperror is not permerror. */
public enum SpfResult {
    NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

    /** The name as RFC 7208 and Authentication-Results (RFC 8601) write it: {@code softfail}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The result of a directive whose mechanism matched: {@code +} pass, {@code -} fail, {@code ~} softfail, {@code ?} neutral. */
    static SpfResult ofQualifier(char qualifier) {
        return switch (qualifier) {
            case '-' -> FAIL;
            case '~' -> SOFTFAIL;
            case '?' -> NEUTRAL;
            default -> PASS;
        };
    }
}
