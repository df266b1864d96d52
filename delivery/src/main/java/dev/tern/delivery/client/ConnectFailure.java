package dev.tern.delivery.client;

import dev.tern.smtp.reply.Reply;

/**
 * A connection could not be opened or brought to the ready state (TCP refused, greeting refused,
 * TLS required but missing, handshake timeout). Carries the reply that explains it, local or remote;
 * the sender then tries the next hop. Unchecked so it can travel through futures.
 */
public final class ConnectFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Reply reply;

    public ConnectFailure(Reply reply) {
        super(reply.toString(), null, false, false);
        this.reply = reply;
    }

    public Reply reply() {
        return reply;
    }
}
