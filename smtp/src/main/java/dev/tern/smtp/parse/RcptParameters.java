package dev.tern.smtp.parse;

import dev.tern.smtp.dsn.Notify;
import dev.tern.smtp.dsn.OriginalRecipient;
import java.util.EnumSet;
import java.util.Set;

/**
 * The ESMTP parameters of a {@code RCPT TO} command (RFC 3461 §4.1, §4.2).
 *
 * @param notifyOn {@code NOTIFY=} values; empty when absent (the DSN default then applies)
 * @param orcpt    {@code ORCPT=}, or {@code null} when absent
 */
public record RcptParameters(Set<Notify> notifyOn, OriginalRecipient orcpt) {

    /** No parameters at all. */
    public static final RcptParameters NONE = new RcptParameters(Set.of(), null);

    public RcptParameters {
        notifyOn = notifyOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(notifyOn));
    }

    public boolean isEmpty() {
        return notifyOn.isEmpty() && orcpt == null;
    }
}
