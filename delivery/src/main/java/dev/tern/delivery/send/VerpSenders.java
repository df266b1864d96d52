package dev.tern.delivery.send;

import dev.tern.common.policy.Feedback;
import dev.tern.common.queue.QueuedEnvelope;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;

/**
 * Variable envelope return paths on the way out (docs/ARCHITECTURE.md, "Feedback loops and VERP"):
 * with the policy's {@code feedback.enabled}, every non-null-sender message goes to each recipient
 * in a transaction of its own whose MAIL FROM is that recipient's bounce address
 * ({@link Feedback#senderFor}), so a report coming back names both message and recipient. The
 * queued record keeps the original sender: retries, failure notices and events use it. Pure.
 */
final class VerpSenders {

    private VerpSenders() {
    }

    /** Whether {@code m} goes out one recipient per transaction with a VERP sender. */
    static boolean applies(Feedback feedback, QueuedMessage m) {
        return feedback.enabled() && !m.hasNullSender();
    }

    /** The message as sent to {@code recipient}: same id and body, MAIL FROM its bounce address. */
    static QueuedMessage forRecipient(Feedback feedback, QueuedMessage m, QueuedRecipient recipient) {
        QueuedEnvelope e = m.envelope();
        String sender = feedback.senderFor(e.sender(), m.id(), recipient.address());
        return new QueuedMessage(m.id(), new QueuedEnvelope(sender, e.recipients(), e.envid(), e.ret(), e.bodyType(),
                e.smtputf8()), m.provenance(), m.schedule(), m.body());
    }
}
