package dev.tern.smtp.dsn;

import java.util.Locale;

/** The Action field of RFC 3464 §2.3.3: what happened to one recipient. */
public enum DsnAction {
    FAILED, DELAYED, DELIVERED, RELAYED, EXPANDED;

    /** The field value, lower case as in the RFC. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
