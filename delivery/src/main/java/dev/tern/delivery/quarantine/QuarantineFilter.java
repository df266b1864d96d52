package dev.tern.delivery.quarantine;

import java.util.Locale;

/**
 * Which held messages a list shows: each non-null part must be contained, case-insensitively, in
 * the sender, in one of the recipients, or in the reason.
 */
public record QuarantineFilter(String sender, String recipient, String reason) {

    public static final QuarantineFilter ALL = new QuarantineFilter(null, null, null);

    public boolean matches(QuarantinedMessage m) {
        return contains(m.sender(), sender) && contains(m.reason(), reason)
                && (recipient == null || m.recipients().stream().anyMatch(r -> contains(r, recipient)));
    }

    private static boolean contains(String value, String part) {
        return part == null || value.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
    }
}
