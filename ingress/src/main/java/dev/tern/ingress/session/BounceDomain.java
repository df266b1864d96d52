package dev.tern.ingress.session;

import dev.tern.common.policy.Feedback;
import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.reply.Reply;
import dev.tern.smtp.server.AcceptedRecipient;
import dev.tern.smtp.server.Replies;
import java.util.List;

/**
 * The bounce domain at RCPT time (docs/ARCHITECTURE.md, "Feedback loops and VERP"). It is a local
 * domain whatever {@code relay.local-domains} says: any client may send to it, unauthenticated on
 * port 25 included, because that is how remote MTAs return DSNs and mailbox providers send
 * complaints. Every mailbox in it is accepted (a VERP address, or a fixed feedback-loop address
 * such as {@code fbl@}); the bounce service decides what the mail means.
 *
 * <p>Such mail goes to {@code tern.feedback}, other mail to {@code tern.inbound}, so one transaction
 * never holds both: the first recipient decides, and a recipient of the other kind is answered
 * {@code 452 4.5.3}, which tells the client to send it in a later transaction (RFC 5321 §4.5.3.1.10).
 * Pure.
 */
final class BounceDomain {

    static final Reply SEPARATE = Reply.of(452, "4.5.3",
            "Error: mail for the bounce domain and other mail go in separate transactions");

    private BounceDomain() {
    }

    /**
     * {@link Replies#RECIPIENT_OK} for a bounce-domain recipient, {@link #SEPARATE} when the
     * transaction already holds recipients of the other kind, null to go on with the usual checks.
     */
    static Reply check(ForwardPath recipient, List<AcceptedRecipient> sofar, Feedback feedback) {
        boolean bounce = isBounce(recipient, feedback);
        if (!sofar.isEmpty() && isBounce(sofar.get(0).path(), feedback) != bounce) {
            return SEPARATE;
        }
        return bounce ? Replies.RECIPIENT_OK : null;
    }

    /** True when the transaction's recipients are in the bounce domain (the first decides; see {@link #check}). */
    static boolean isFeedback(List<AcceptedRecipient> recipients, Feedback feedback) {
        return !recipients.isEmpty() && isBounce(recipients.get(0).path(), feedback);
    }

    private static boolean isBounce(ForwardPath path, Feedback feedback) {
        return path.mailbox().map(m -> !m.isAddressLiteral() && feedback.isBounceAddress(m.domain())).orElse(false);
    }
}
