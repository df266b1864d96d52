package dev.tern.ingress.trust.recipients;

import dev.tern.smtp.address.Mailbox;
import dev.tern.smtp.reply.Reply;

/**
 * The replies a refused RCPT gets from recipient validation. The texts follow Postfix's, which
 * operators and senders' logs already know; the internal server's name and reply never reach the
 * client (they go to logs through {@link RecipientCheck#detail()}).
 *
 * <ul>
 * <li>{@code 550 5.1.1} unknown user (RFC 3463 X.1.1 "Bad destination mailbox address"), from the
 *     list or the callout: permanent, the sender's MTA bounces at once and nobody gets
 *     backscatter from us.</li>
 * <li>{@code 450 4.1.1} the mailbox server answered but gave no verdict (a 4xx, or a 5xx that is
 *     not about the user): still about the mailbox address (X.1.1), but not decided now, so
 *     class 4; 450 is RFC 5321's "mailbox unavailable" temporary code. Postfix's
 *     {@code unverified_recipient_defer_code} answers the same.</li>
 * <li>{@code 451 4.4.1} no answer from the mailbox server (refused, timeout, dropped): X.4.1 is
 *     RFC 3463's "No answer from host", and 451 is RFC 5321's "local error in processing", the
 *     trouble being on our side, not the recipient's.</li>
 * <li>{@code 451 4.3.0} the recipients file configured in the policy has never loaded: a mail
 *     system problem (X.3.0), temporary so the mail waits for the operator instead of bouncing or
 *     being accepted unchecked.</li>
 * </ul>
 */
public final class RecipientReplies {

    private RecipientReplies() {
    }

    public static Reply userUnknown(Mailbox recipient) {
        return Reply.of(550, "5.1.1", "<" + recipient + ">: Recipient address rejected: User unknown");
    }

    public static Reply unverified(Mailbox recipient) {
        return Reply.of(450, "4.1.1", "<" + recipient + ">: Recipient address rejected: unverified address, try again later");
    }

    public static Reply serverUnreachable(Mailbox recipient) {
        return Reply.of(451, "4.4.1", "<" + recipient + ">: Recipient address verification failed: mailbox server did not answer, try again later");
    }

    public static Reply listUnavailable(Mailbox recipient) {
        return Reply.of(451, "4.3.0", "<" + recipient + ">: Recipient address verification unavailable, try again later");
    }

    /** The refusal a callout verdict gives, or null for the verdicts that accept. */
    public static Reply forCallout(CalloutVerdict verdict, Mailbox recipient) {
        return switch (verdict) {
            case VALID, NOT_CHECKED -> null;
            case UNKNOWN -> userUnknown(recipient);
            case DEFERRED -> unverified(recipient);
            case UNREACHABLE -> serverUnreachable(recipient);
        };
    }
}
