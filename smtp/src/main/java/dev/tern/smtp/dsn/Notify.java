package dev.tern.smtp.dsn;

import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The conditions of RFC 3461 §4.1 under which a recipient's sender asked for a DSN.
 *
 * <p>An empty set means the NOTIFY parameter was absent (the MTA's default: failures, maybe delays).
 * {@link #NEVER} may not be combined with the others.
 */
public enum Notify {
    NEVER, SUCCESS, FAILURE, DELAY;

    /** Renders the NOTIFY parameter value, e.g. {@code SUCCESS,FAILURE}, in declaration order. */
    public static String toParameter(Set<Notify> notify) {
        if (notify.contains(NEVER) && notify.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined: " + notify);
        }
        var out = new StringJoiner(",");
        for (Notify n : values()) {
            if (notify.contains(n)) {
                out.add(n.name());
            }
        }
        return out.toString();
    }

    public String keyword() {
        return name().toUpperCase(Locale.ROOT);
    }
}
