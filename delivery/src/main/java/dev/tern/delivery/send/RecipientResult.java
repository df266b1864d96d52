package dev.tern.delivery.send;

import dev.tern.common.queue.QueuedRecipient;
import dev.tern.smtp.reply.Reply;

/**
 * How one attempt ended for one recipient, with what the event ledger needs to say about it.
 *
 * @param recipient        the recipient as queued
 * @param reply            the reply that decided it (remote, or local such as 5.1.2 or 4.4.2)
 * @param delivered        the next hop accepted it (2xx after the data, or found in the journal)
 * @param destination      destination name (domain or route transport)
 * @param destinationClass bounded metric label ({@code mx} or the route)
 * @param transport        {@code mx}, {@code smtp://...}, {@code lmtp://...}
 * @param mxHost           host that gave the reply (or was tried last), or null
 * @param mxIp             its address, or null
 * @param tls              TLS protocol and cipher of the connection, or null
 * @param latencyMs        from the start of the message's attempt to this outcome
 * @param attempted        false when no delivery was tried (journal hit, suspended, expired before
 *                         trying): such results are not counted as attempts in metrics
 */
public record RecipientResult(QueuedRecipient recipient, Reply reply, boolean delivered, String destination,
        String destinationClass, String transport, String mxHost, String mxIp, String tls, long latencyMs,
        boolean attempted) {

    public boolean transientFailure() {
        return !delivered && reply.codeClass() != 5;
    }

    public boolean permanentFailure() {
        return !delivered && reply.codeClass() == 5;
    }
}
