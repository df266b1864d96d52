package dev.tern.smtp.server;

import dev.tern.smtp.reply.Reply;

/**
 * Where a {@link ServerSession} sends what it has to say. The ingress implements it over its
 * socket: {@link #send} writes {@code reply.toWire()}, {@link #signal} acts on the connection.
 * Called on the thread that drives the session; calls arrive in protocol order.
 */
public interface SessionOutput {

    /** Writes one reply. Replies to pipelined commands may come in quick succession. */
    void send(Reply reply);

    /** Acts on the connection; see {@link Signal}. */
    void signal(Signal signal);
}
