package dev.tern.delivery.send;

import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.smtp.client.OutboundEnvelope;
import dev.tern.smtp.client.OutboundRecipient;
import java.util.List;

/**
 * Maps a queued message and a subset of its recipients to the {@link OutboundEnvelope} the SMTP
 * client sends: DSN parameters passed on (RFC 3461 §4), BODY=8BITMIME when ingress received it so
 * (RFC 6152), SMTPUTF8 when the client asked for it (RFC 6531). Stateless.
 */
public final class Envelopes {

    private Envelopes() {
    }

    public static OutboundEnvelope of(QueuedMessage m, List<QueuedRecipient> recipients) {
        var out = recipients.stream().map(r -> new OutboundRecipient(r.address(), r.notifyOn(), r.orcpt())).toList();
        var e = m.envelope();
        return new OutboundEnvelope(e.sender(), out, e.ret(), e.envid(), m.body().length, e.eightBit(), e.smtputf8());
    }
}
