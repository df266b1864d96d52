package dev.tern.common.queue;

import java.util.Objects;
import java.util.Set;

/**
 * One envelope recipient with its RFC 3461 DSN parameters, and — on records in {@code tern.failed}
 * and retry tiers — the last reply that decided its fate.
 *
 * @param address   the forward path, as accepted at RCPT TO (no angle brackets)
 * @param notifyOn  RFC 3461 §4.1 NOTIFY values (NEVER, SUCCESS, FAILURE, DELAY); empty when the
 *                  client gave none, which means FAILURE (and DELAY at our discretion)
 * @param orcpt     RFC 3461 §4.2 ORCPT as {@code addr-type;xtext}, or null
 * @param lastReply the last reply for this recipient ({@code "550 5.1.1 no such user"}), or null
 * @param lastMx    the host that gave {@code lastReply}, or null
 */
public record Recipient(String address, Set<Notify> notifyOn, String orcpt, String lastReply, String lastMx) {

    /** RFC 3461 §4.1 NOTIFY keywords. */
    public enum Notify { NEVER, SUCCESS, FAILURE, DELAY }

    public Recipient {
        Objects.requireNonNull(address, "address");
        notifyOn = notifyOn == null ? Set.of() : Set.copyOf(notifyOn);
    }

    public static Recipient of(String address) {
        return new Recipient(address, Set.of(), null, null, null);
    }

    /** True when a failure notice may be sent for this recipient (RFC 3461 §4.1 default). */
    public boolean wantsFailureNotice() {
        return notifyOn.isEmpty() || notifyOn.contains(Notify.FAILURE);
    }

    /** True when a delay notice may be sent: only when asked for, or when NOTIFY was not given. */
    public boolean wantsDelayNotice() {
        return notifyOn.isEmpty() || notifyOn.contains(Notify.DELAY);
    }

    public Recipient withLastReply(String reply, String mx) {
        return new Recipient(address, notifyOn, orcpt, reply, mx);
    }

    /** The recipient's domain, lowercased; empty for a bare local part such as {@code postmaster}. */
    public String domain() {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
