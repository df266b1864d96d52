package dev.tern.smtp.client;

import dev.tern.smtp.reply.Reply;

import java.util.Objects;

/**
 * The final word on one recipient of one attempt: the reply that decided it and where.
 *
 * <p>Delivered means {@link Phase#END_OF_DATA} with a 2xx reply; otherwise the reply class tells
 * transient (retry) from permanent (bounce). Immutable.
 */
public record RecipientOutcome(OutboundRecipient recipient, Reply reply, Phase phase) {

    public RecipientOutcome {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(phase, "phase");
    }

    public boolean delivered() {
        return phase == Phase.END_OF_DATA && reply.codeClass() == 2;
    }

    public boolean transientFailure() {
        return !delivered() && reply.codeClass() != 5;
    }

    public boolean permanentFailure() {
        return !delivered() && reply.codeClass() == 5;
    }
}
