package dev.tern.smtp.client;

import dev.tern.smtp.dsn.Notify;
import dev.tern.smtp.dsn.OriginalRecipient;

import java.util.Objects;
import java.util.Set;

/**
 * One forward-path of an outbound transaction with its RFC 3461 §4 parameters.
 *
 * @param address the already-validated mailbox, without angle brackets (UTF-8 allowed when the
 *                envelope says SMTPUTF8 is needed)
 * @param notifyOn NOTIFY conditions; empty when the sender gave none
 * @param orcpt   ORCPT, or {@code null}
 */
public record OutboundRecipient(String address, Set<Notify> notifyOn, OriginalRecipient orcpt) {

    public OutboundRecipient {
        SmtpCommands.checkPath(Objects.requireNonNull(address, "address"));
        if (address.isEmpty()) {
            throw new IllegalArgumentException("recipient address must not be empty");
        }
        notifyOn = Set.copyOf(notifyOn);
        Notify.toParameter(notifyOn); // validates NEVER is alone
    }

    public static OutboundRecipient of(String address) {
        return new OutboundRecipient(address, Set.of(), null);
    }
}
