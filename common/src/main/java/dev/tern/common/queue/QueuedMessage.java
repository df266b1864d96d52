package dev.tern.common.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message in Tern's queue: the SMTP envelope plus the raw RFC 5322 message as received.
 *
 * <p>This is the one unit that travels through every topic ({@code tern.inbound}, the retry
 * tiers, {@code tern.failed}); {@link RecordCodec} maps it to a Kafka record whose headers carry
 * the envelope and whose value is the message. Immutable; {@link #body()} is shared, never copied.
 *
 * @param id            queue id, unique per accepted message, also the Kafka record key
 * @param sender        reverse path without brackets; empty string for the null sender {@code <>}
 * @param recipients    recipients still to be handled on this record (never empty)
 * @param attempt       delivery attempts made so far (0 on {@code tern.inbound})
 * @param notBefore     earliest time of the next attempt (retry tiers); null = now
 * @param firstReceived when ingress accepted the message (start of the queue lifetime)
 * @param tenant        tenant/identity the message belongs to, or null
 * @param clientIp      the SMTP client's address
 * @param helo          the HELO/EHLO name the client gave
 * @param tls           TLS protocol and cipher of the receiving session, or null
 * @param authIdentity  the SMTP AUTH identity, or null
 * @param envid         RFC 3461 ENVID (decoded), or null
 * @param ret           RFC 3461 RET (FULL or HDRS), or null
 * @param bodyType      the MAIL BODY parameter (7BIT, 8BITMIME, BINARYMIME), or null
 * @param smtputf8      whether the client asked for SMTPUTF8 (RFC 6531)
 * @param body          the raw message, CRLF line endings, headers including our Received:
 */
public record QueuedMessage(
        String id,
        String sender,
        List<Recipient> recipients,
        int attempt,
        Instant notBefore,
        Instant firstReceived,
        String tenant,
        String clientIp,
        String helo,
        String tls,
        String authIdentity,
        String envid,
        String ret,
        String bodyType,
        boolean smtputf8,
        byte[] body) {

    public QueuedMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(firstReceived, "firstReceived");
        Objects.requireNonNull(body, "body");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a queued message needs at least one recipient");
        }
    }

    /** True for bounces and other notices sent with {@code MAIL FROM:<>}: they are never bounced. */
    public boolean hasNullSender() {
        return sender.isEmpty();
    }

    /** The same message for a later attempt, carrying only {@code remaining} recipients. */
    public QueuedMessage forRetry(List<Recipient> remaining, int nextAttempt, Instant due) {
        return new QueuedMessage(id, sender, remaining, nextAttempt, due, firstReceived, tenant, clientIp,
                helo, tls, authIdentity, envid, ret, bodyType, smtputf8, body);
    }

    /** The same message with a different recipient list and attempt count unchanged. */
    public QueuedMessage withRecipients(List<Recipient> subset) {
        return forRetry(subset, attempt, notBefore);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueuedMessage m && m.id.equals(id) && m.attempt == attempt
                && m.recipients.equals(recipients) && java.util.Arrays.equals(m.body, body)
                && m.sender.equals(sender) && Objects.equals(m.notBefore, notBefore)
                && m.firstReceived.equals(firstReceived) && Objects.equals(m.tenant, tenant)
                && Objects.equals(m.clientIp, clientIp) && Objects.equals(m.helo, helo)
                && Objects.equals(m.tls, tls) && Objects.equals(m.authIdentity, authIdentity)
                && Objects.equals(m.envid, envid) && Objects.equals(m.ret, ret)
                && Objects.equals(m.bodyType, bodyType) && m.smtputf8 == smtputf8;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, attempt, recipients);
    }

    @Override
    public String toString() {
        return "QueuedMessage[" + id + " from <" + sender + "> to " + recipients.size()
                + " rcpt(s), attempt " + attempt + ", " + body.length + " bytes]";
    }
}
