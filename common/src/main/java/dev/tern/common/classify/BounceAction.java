package dev.tern.common.classify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a classified failure makes Tern do besides recording its {@link BounceCategory}. */
public enum BounceAction {
    /** The recipient goes on the suppression list when it fails for good (bounced or expired). */
    SUPPRESS,
    /** The destination backs off cluster-wide, as on a {@code 421}. */
    BACKOFF,
    /** Nothing but the category. */
    NONE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BounceAction> ofLabel(String label) {
        return Arrays.stream(values()).filter(a -> a.label().equals(label)).findFirst();
    }
}
