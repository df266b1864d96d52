package dev.tern.delivery.admin;

import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import java.util.Locale;
import java.util.Objects;

/**
 * Which queued recipients a queue action covers (docs/ARCHITECTURE.md, "Queue actions"): those of a
 * destination (their recipient domain, or the route their domain takes, e.g. {@code smtp://relay:25}),
 * of one envelope sender ({@code <>} or empty for the null sender), one recipient address, or every
 * recipient of one queue id. Addresses, domains and routes compare case-insensitively; the queue id
 * exactly. Pure and immutable.
 */
public record QueueSelector(Field field, String value) {

    public enum Field { DESTINATION, SENDER, RECIPIENT, ID }

    public QueueSelector {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        value = value.trim();
        if (field == Field.SENDER && value.equals("<>")) {
            value = "";
        }
        if (value.isEmpty() && field != Field.SENDER) {
            throw new IllegalArgumentException(field.name().toLowerCase(Locale.ROOT) + " must not be empty");
        }
    }

    /**
     * Whether {@code r} of {@code m} is covered.
     *
     * @param routed the destination the recipient's domain is delivered as (its route's transport,
     *               or the domain itself for MX delivery); null when not known
     */
    public boolean matches(QueuedMessage m, QueuedRecipient r, String routed) {
        return switch (field) {
            case DESTINATION -> value.equalsIgnoreCase(r.domain()) || (routed != null && value.equalsIgnoreCase(routed));
            case SENDER -> value.equalsIgnoreCase(m.sender());
            case RECIPIENT -> value.equalsIgnoreCase(r.address());
            case ID -> value.equals(m.id());
        };
    }

    @Override
    public String toString() {
        return field.name().toLowerCase(Locale.ROOT) + "=" + (value.isEmpty() ? "<>" : value);
    }
}
