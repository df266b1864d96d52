package dev.tern.ingress.trust.dmarc;

import java.util.Locale;

/** What a domain owner asks receivers to do with mail that fails DMARC (RFC 7489 §6.3, tag {@code p}). */
public enum DmarcPolicy {
    NONE, QUARANTINE, REJECT;

    /** The tag value, e.g. {@code quarantine}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The next policy down, for a message {@code pct} sampling left out (§6.6.4): reject becomes
     * quarantine, quarantine becomes none.
     */
    public DmarcPolicy lower() {
        return this == REJECT ? QUARANTINE : NONE;
    }

    /** The policy a {@code p} or {@code sp} value names (any case), or null when it names none. */
    static DmarcPolicy of(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "quarantine" -> QUARANTINE;
            case "reject" -> REJECT;
            default -> null;
        };
    }
}
