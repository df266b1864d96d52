package dev.tern.common.classify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a delivery attempt failed, in words an operator can count and alert on (docs/ARCHITECTURE.md,
 * "Bounce classification"). The set is closed and small so that it can be a metric label.
 */
public enum BounceCategory {
    /** The mailbox, the address or its domain does not exist (or no longer accepts mail). */
    INVALID_RECIPIENT,
    /** The mailbox is over its quota. */
    MAILBOX_FULL,
    /** The message, the sending IP or the sender's domain was judged to be spam, or is on a blocklist. */
    SPAM_BLOCK,
    /** Refused by the receiver's policy for another reason: relaying, authentication (SPF, DKIM, DMARC), access lists. */
    POLICY,
    /** The recipient's domain or its mail servers could not be resolved. */
    DNS,
    /** No usable connection: refused, timed out, lost, or the server was unavailable. */
    CONNECTION,
    /** TLS was required but missing, or the handshake or certificate failed. */
    TLS,
    /** Too many messages, recipients or connections: the receiver asks to slow down. */
    RATE_LIMITED,
    /** The message exceeds a size limit. */
    MESSAGE_TOO_LARGE,
    /** The content was refused for a reason other than spam: virus, attachment type, malformed or unsupported format. */
    CONTENT,
    /** Anything the rules do not recognise. */
    OTHER;

    /** The lower-case, dashed name used in the policy file, in events and as a metric label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The category named {@code label} ({@code invalid-recipient}, ...), or empty. */
    public static Optional<BounceCategory> ofLabel(String label) {
        return Arrays.stream(values()).filter(c -> c.label().equals(label)).findFirst();
    }

    /** The labels of every category, for error messages. */
    public static String labels() {
        return String.join(", ", Arrays.stream(values()).map(BounceCategory::label).toList());
    }
}
