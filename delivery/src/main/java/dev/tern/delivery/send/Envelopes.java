package dev.tern.delivery.send;

import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.Recipient;
import dev.tern.smtp.client.OutboundEnvelope;
import dev.tern.smtp.client.OutboundRecipient;
import dev.tern.smtp.dsn.Notify;
import dev.tern.smtp.dsn.OriginalRecipient;
import dev.tern.smtp.dsn.Ret;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Maps a queued message and a subset of its recipients to the {@link OutboundEnvelope} the SMTP
 * client sends: DSN parameters passed on (RFC 3461 §4), BODY=8BITMIME when ingress received it so
 * (RFC 6152), SMTPUTF8 when the client asked for it (RFC 6531). Stateless.
 */
public final class Envelopes {

    private Envelopes() {
    }

    public static OutboundEnvelope of(QueuedMessage m, List<Recipient> recipients) {
        var out = recipients.stream().map(Envelopes::recipient).toList();
        Ret ret = m.ret() == null ? null : Ret.valueOf(m.ret().toUpperCase(Locale.ROOT));
        boolean eightBit = m.bodyType() != null && !m.bodyType().equalsIgnoreCase("7BIT");
        return new OutboundEnvelope(m.sender(), out, ret, m.envid(), m.body().length, eightBit, m.smtputf8());
    }

    private static OutboundRecipient recipient(Recipient r) {
        var notify = EnumSet.noneOf(Notify.class);
        r.notifyOn().forEach(n -> notify.add(Notify.valueOf(n.name())));
        OriginalRecipient orcpt = null;
        if (r.orcpt() != null) {
            try {
                orcpt = OriginalRecipient.parse(r.orcpt());
            } catch (IllegalArgumentException e) {
                // A malformed ORCPT from the queue must not block delivery; it is optional (RFC 3461 §4.2).
                orcpt = null;
            }
        }
        return new OutboundRecipient(r.address(), notify, orcpt);
    }
}
