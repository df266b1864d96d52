package dev.tern.smtp.client;

import dev.tern.smtp.reply.Reply;

import java.util.List;

/**
 * One client connection without I/O: bytes from the socket in, {@link ClientAction}s out.
 *
 * <p>Owns the {@link ReplyParser}, runs the {@link ClientHandshake}, then one {@link ClientTransaction}
 * after another while the connection stays reusable. Switches the parser to ENHANCEDSTATUSCODES mode
 * when the server advertised it (RFC 2034 §3).
 *
 * <p>Guards the driver does not have to write: a reply that arrives while the session was not waiting
 * for one (more replies than commands, RFC 5321 §4.2) is a protocol error; bytes buffered behind the
 * 220 reply to STARTTLS are a protocol error, since they would be plaintext injected into the TLS
 * session (the STARTTLS command-injection class, RFC 3207 §4.2 / CVE-2011-0411 seen from the client);
 * a 421 while idle closes the session; malformed replies become a transient 451 4.5.0 outcome for
 * every undecided recipient. Outcomes already reported are never lost.
 *
 * <p>Not thread-safe: call it from the connection's event loop only.
 */
public final class ClientSession {

    private enum State { NEW, HANDSHAKE, READY, TRANSACTION, CLOSED }

    private final HandshakeConfig config;
    private final ReplyParser parser;
    private final ClientHandshake handshake;
    private ClientTransaction transaction;
    private EhloCapabilities capabilities = EhloCapabilities.none();
    private State state = State.NEW;

    public ClientSession(HandshakeConfig config) {
        this(config, new ReplyParser());
    }

    public ClientSession(HandshakeConfig config, ReplyParser parser) {
        this.config = config;
        this.parser = parser;
        this.handshake = new ClientHandshake(config);
    }

    /** Call once the TCP (or implicit TLS) connection is up. */
    public ClientAction start() {
        if (state != State.NEW) {
            throw new IllegalStateException("session already started");
        }
        state = State.HANDSHAKE;
        return handshake.start();
    }

    public ClientAction receive(byte[] bytes) {
        return receive(bytes, 0, bytes.length);
    }

    /** Feeds bytes read from the socket; returns what to do next ({@link ClientAction#AWAIT} if nothing). */
    public ClientAction receive(byte[] bytes, int offset, int len) {
        if (state == State.NEW) {
            throw new IllegalStateException("session not started");
        }
        if (state == State.CLOSED) {
            return ClientAction.AWAIT;
        }
        List<Reply> replies;
        try {
            replies = parser.feed(bytes, offset, len);
        } catch (SmtpProtocolException e) {
            return fail(LocalReplies.protocolError(e.getMessage()));
        }
        ClientAction action = ClientAction.AWAIT;
        for (Reply reply : replies) {
            if (action instanceof ClientAction.TransactionDone done) {
                return unusable(done, reply);
            }
            if (action != ClientAction.AWAIT) {
                return fail(LocalReplies.protocolError("reply before our command: " + reply));
            }
            action = dispatch(reply);
        }
        if (action instanceof ClientAction.StartTls && parser.hasPartialReply()) {
            return fail(LocalReplies.protocolError("data after the STARTTLS reply"));
        }
        return action;
    }

    /** Call after the TLS handshake asked for by {@link ClientAction.StartTls} completed. */
    public ClientAction tlsEstablished() {
        return afterHandshake(handshake.tlsEstablished());
    }

    public ClientAction tlsFailed(String reason) {
        return afterHandshake(handshake.tlsFailed(reason));
    }

    /** Starts a transaction; only after {@link ClientAction.Ready} or a reusable {@link ClientAction.TransactionDone}. */
    public ClientAction send(OutboundEnvelope envelope) {
        if (state != State.READY) {
            throw new IllegalStateException("session is not ready for a transaction: " + state);
        }
        transaction = new ClientTransaction(capabilities, envelope, config.lmtp());
        state = State.TRANSACTION;
        return afterTransaction(transaction.start());
    }

    /** The peer closed the connection or it broke. */
    public ClientAction connectionLost() {
        return fail(LocalReplies.connectionLost());
    }

    /** A read timeout of RFC 5321 §4.5.3.2 expired (the driver owns the timers). */
    public ClientAction timedOut() {
        return fail(LocalReplies.timedOut());
    }

    /** The bytes of QUIT (RFC 5321 §4.1.1.10); the session is closed afterwards. */
    public byte[] quit() {
        state = State.CLOSED;
        return SmtpCommands.quit();
    }

    public boolean ready() {
        return state == State.READY;
    }

    public boolean tlsActive() {
        return handshake.tlsActive();
    }

    public EhloCapabilities capabilities() {
        return capabilities;
    }

    private ClientAction dispatch(Reply reply) {
        switch (state) {
            case HANDSHAKE:
                return afterHandshake(handshake.onReply(reply));
            case TRANSACTION:
                return afterTransaction(transaction.onReply(reply));
            case READY:
                return close(reply.code() == 421 ? reply : LocalReplies.protocolError("unsolicited reply " + reply));
            default:
                return ClientAction.AWAIT;
        }
    }

    private ClientAction afterHandshake(ClientAction action) {
        if (action instanceof ClientAction.Ready ready) {
            capabilities = ready.capabilities();
            parser.enhancedStatusCodes(capabilities.enhancedStatusCodes());
            state = State.READY;
        } else if (action instanceof ClientAction.Close) {
            state = State.CLOSED;
        }
        return action;
    }

    private ClientAction afterTransaction(ClientAction action) {
        if (action instanceof ClientAction.TransactionDone done) {
            state = done.outcome().connectionReusable() ? State.READY : State.CLOSED;
        }
        return action;
    }

    private ClientAction fail(Reply reason) {
        switch (state) {
            case HANDSHAKE:
                return afterHandshake(handshake.abort(reason));
            case TRANSACTION:
                return afterTransaction(transaction.abort(reason));
            case CLOSED:
                return ClientAction.AWAIT;
            default:
                return close(reason);
        }
    }

    // A reply after the transaction ended: keep the final outcome, but never reuse this connection.
    private ClientAction unusable(ClientAction.TransactionDone done, Reply extra) {
        state = State.CLOSED;
        TransactionOutcome o = done.outcome();
        return new ClientAction.TransactionDone(new TransactionOutcome(o.recipients(), o.messageReply(), false, o.dsnPassedOn()));
    }

    private ClientAction close(Reply reason) {
        state = State.CLOSED;
        return new ClientAction.Close(reason);
    }
}
