package dev.tern.common.queue;

import dev.tern.smtp.dsn.Notify;
import dev.tern.smtp.dsn.OriginalRecipient;
import dev.tern.smtp.reply.Reply;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One envelope recipient of a queued message with its RFC 3461 DSN parameters, and — on records
 * in {@code tern.failed} and the retry tiers — the last reply that decided its fate. (The SMTP
 * server's view of a recipient while the transaction is open is {@code dev.tern.smtp.server.AcceptedRecipient}.)
 *
 * @param address   the forward path, as accepted at RCPT TO (no angle brackets)
 * @param notifyOn  RFC 3461 §4.1 NOTIFY values; empty when the client gave none, which means
 *                  FAILURE (and DELAY at our discretion)
 * @param orcpt     RFC 3461 §4.2 ORCPT, or null
 * @param lastReply the last reply for this recipient, or null
 * @param lastMx    the host that gave {@code lastReply}, or null
 */
public record QueuedRecipient(String address, Set<Notify> notifyOn, OriginalRecipient orcpt, Reply lastReply,
        String lastMx) {

    public QueuedRecipient {
        Objects.requireNonNull(address, "address");
        notifyOn = notifyOn == null || notifyOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(notifyOn));
    }

    public static QueuedRecipient of(String address) {
        return new QueuedRecipient(address, Set.of(), null, null, null);
    }

    /** True when a failure notice may be sent for this recipient (RFC 3461 §4.1 default). */
    public boolean wantsFailureNotice() {
        return notifyOn.isEmpty() || notifyOn.contains(Notify.FAILURE);
    }

    /** True when a delay notice may be sent: only when asked for, or when NOTIFY was not given. */
    public boolean wantsDelayNotice() {
        return notifyOn.isEmpty() || notifyOn.contains(Notify.DELAY);
    }

    public QueuedRecipient withLastReply(Reply reply, String mx) {
        return new QueuedRecipient(address, notifyOn, orcpt, reply, mx);
    }

    /** The recipient's domain, lowercased; empty for a bare local part such as {@code postmaster}. */
    public String domain() {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
