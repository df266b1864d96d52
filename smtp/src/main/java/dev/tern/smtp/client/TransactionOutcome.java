package dev.tern.smtp.client;

import dev.tern.smtp.reply.Reply;

import java.util.List;

/**
 * The result of one {@link ClientTransaction}.
 *
 * @param recipients         one outcome per envelope recipient, in envelope order
 * @param messageReply       the reply that ended the transaction: final reply after the body (for
 *                           LMTP the last recipient's), or the MAIL, DATA, last RCPT, 421 or local
 *                           reply that stopped it
 * @param connectionReusable the server is in a clean state and another transaction may follow
 *                           (RFC 5321 §4.1.1.5 RSET was sent where needed)
 * @param dsnPassedOn        the peer advertised DSN, so NOTIFY/RET/ENVID/ORCPT went along. When
 *                           {@code false} and a recipient asked for NOTIFY=SUCCESS, RFC 3461 §5.2.2
 *                           wants a "relayed" DSN from us after successful delivery
 */
public record TransactionOutcome(List<RecipientOutcome> recipients, Reply messageReply, boolean connectionReusable,
                                 boolean dsnPassedOn) {

    public TransactionOutcome {
        recipients = List.copyOf(recipients);
    }

    public boolean allDelivered() {
        return recipients.stream().allMatch(RecipientOutcome::delivered);
    }
}
