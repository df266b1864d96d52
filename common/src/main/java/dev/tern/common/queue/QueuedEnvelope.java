package dev.tern.common.queue;

import dev.tern.smtp.dsn.Ret;
import dev.tern.smtp.parse.BodyType;
import java.util.List;
import java.util.Objects;

/**
 * The SMTP envelope of a queued message: who it is from, who it is still for, and the MAIL FROM
 * parameters that travel with it to the next hop and into DSNs.
 *
 * @param sender     reverse path without brackets; empty string for the null sender {@code <>}
 * @param recipients recipients still to be handled on this record (never empty)
 * @param envid      RFC 3461 ENVID (decoded), or null
 * @param ret        RFC 3461 RET, or null
 * @param bodyType   the MAIL BODY parameter (RFC 6152, RFC 3030), or null
 * @param smtputf8   whether the client asked for SMTPUTF8 (RFC 6531)
 */
public record QueuedEnvelope(String sender, List<QueuedRecipient> recipients, String envid, Ret ret,
        BodyType bodyType, boolean smtputf8) {

    public QueuedEnvelope {
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a queued message needs at least one recipient");
        }
    }

    /** An envelope without MAIL FROM parameters. */
    public static QueuedEnvelope of(String sender, List<QueuedRecipient> recipients) {
        return new QueuedEnvelope(sender, recipients, null, null, null, false);
    }

    /** True for bounces and other notices sent with {@code MAIL FROM:<>}: they are never bounced. */
    public boolean hasNullSender() {
        return sender.isEmpty();
    }

    /** True when the body may hold octets above 127 (BODY=8BITMIME or BINARYMIME). */
    public boolean eightBit() {
        return bodyType != null && bodyType != BodyType.SEVEN_BIT;
    }

    public QueuedEnvelope withRecipients(List<QueuedRecipient> subset) {
        return new QueuedEnvelope(sender, subset, envid, ret, bodyType, smtputf8);
    }
}
