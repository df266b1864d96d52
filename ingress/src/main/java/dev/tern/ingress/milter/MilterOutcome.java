package dev.tern.ingress.milter;

import dev.tern.smtp.reply.Reply;
import java.util.List;

/**
 * What the milters made of one message.
 *
 * @param action           deliver, quarantine, reject, tempfail or discard
 * @param reply            the SMTP reply for reject and tempfail, else null
 * @param message          the message with the milters' changes (headers, body)
 * @param recipients       the recipients after the milters' additions and deletions, without angle brackets
 * @param quarantineReason why the message is held (quarantine only)
 * @param decidedBy        the milter that rejected, deferred, discarded or quarantined it, else null
 */
public record MilterOutcome(Action action, Reply reply, byte[] message, List<String> recipients,
        String quarantineReason, String decidedBy) {

    public enum Action {
        DELIVER, QUARANTINE, REJECT, TEMPFAIL, DISCARD
    }

    public MilterOutcome {
        recipients = List.copyOf(recipients);
    }
}
