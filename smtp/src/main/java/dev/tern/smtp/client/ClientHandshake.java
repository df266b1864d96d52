package dev.tern.smtp.client;

import dev.tern.smtp.reply.Reply;

/**
 * Session opening without I/O: greeting, EHLO (or LHLO), STARTTLS by policy, EHLO again, AUTH.
 *
 * <p>Implements RFC 5321 §3.1 (a greeting other than 220 closes the session) and §3.2 (a 5xx reply to
 * EHLO falls back to HELO, never for LMTP, RFC 2033 §4.1), RFC 3207 §4.2 (after TLS everything learnt
 * before is forgotten and EHLO is sent again) and RFC 4954 §4 through {@link ClientAuth} (PLAIN,
 * else LOGIN).
 *
 * <p>STARTTLS per {@link TlsPolicy}: {@code OPPORTUNISTIC} continues in plaintext when STARTTLS is
 * not offered or refused; {@code REQUIRED} ends with {@link LocalReplies#tlsNotOffered()} /
 * {@link LocalReplies#tlsRefused(Reply)} (451 4.7.4, transient, as Postfix does). A failed TLS
 * handshake ends with 451 4.7.5 under either policy; like Postfix's "may" level, a caller may then
 * retry the destination on a new connection with {@code TlsPolicy.NONE}, but never one that
 * authenticates. With credentials, STARTTLS is required under any policy (not offered or refused:
 * {@link LocalReplies#tlsNotOfferedForAuth()} / {@link LocalReplies#tlsRefusedForAuth(Reply)}), and
 * AUTH is sent only once TLS is up and the second EHLO has been answered.
 *
 * <p>Ends with {@link ClientAction.Ready} or {@link ClientAction.Close}. Not thread-safe.
 */
public final class ClientHandshake {

    private enum State { NEW, GREETING, HELLO, HELO, STARTTLS, TLS_HANDSHAKE, HELLO_AFTER_TLS, AUTH, READY, CLOSED }

    private final HandshakeConfig config;
    private State state = State.NEW;
    private boolean tlsActive;
    private EhloCapabilities capabilities = EhloCapabilities.none();
    private ClientAuth auth;

    public ClientHandshake(HandshakeConfig config) {
        this.config = config;
    }

    /** The server speaks first: wait for its greeting. */
    public ClientAction start() {
        if (state != State.NEW) {
            throw new IllegalStateException("handshake already started");
        }
        state = State.GREETING;
        tlsActive = config.implicitTls();
        return ClientAction.AWAIT;
    }

    public ClientAction onReply(Reply reply) {
        if (reply.code() == 421) {
            return close(reply);
        }
        switch (state) {
            case GREETING:
                if (reply.code() != 220) {
                    return close(reply.codeClass() == 2 ? LocalReplies.protocolError("greeting " + reply) : reply);
                }
                state = State.HELLO;
                return new ClientAction.Write(hello());
            case HELLO:
                if (reply.codeClass() == 2) {
                    capabilities = EhloCapabilities.parse(reply);
                    return afterFirstHello();
                }
                if (reply.codeClass() == 5 && !config.lmtp()) {
                    state = State.HELO;
                    return new ClientAction.Write(SmtpCommands.helo(config.heloName()));
                }
                return close(reply);
            case HELO:
                if (reply.codeClass() != 2) {
                    return close(reply);
                }
                capabilities = EhloCapabilities.none();
                return afterFirstHello();
            case STARTTLS:
                if (reply.code() == 220) {
                    state = State.TLS_HANDSHAKE;
                    return ClientAction.START_TLS;
                }
                if (config.authenticates()) {
                    return close(LocalReplies.tlsRefusedForAuth(reply));
                }
                if (config.tlsPolicy() == TlsPolicy.REQUIRED) {
                    return close(LocalReplies.tlsRefused(reply));
                }
                return authenticateOrReady();
            case HELLO_AFTER_TLS:
                if (reply.codeClass() != 2) {
                    return close(reply);
                }
                capabilities = EhloCapabilities.parse(reply);
                return authenticateOrReady();
            case AUTH:
                ClientAuth.Step step = auth.onReply(reply);
                if (step instanceof ClientAuth.Step.Send send) {
                    return new ClientAction.Write(send.bytes());
                }
                if (step instanceof ClientAuth.Step.Failed failed) {
                    return close(failed.reason());
                }
                return ready();
            default:
                return close(LocalReplies.protocolError("unexpected reply " + reply));
        }
    }

    /** Call after the TLS handshake that {@link ClientAction.StartTls} asked for succeeded. */
    public ClientAction tlsEstablished() {
        if (state != State.TLS_HANDSHAKE) {
            throw new IllegalStateException("no TLS handshake pending");
        }
        tlsActive = true;
        capabilities = EhloCapabilities.none();
        state = State.HELLO_AFTER_TLS;
        return new ClientAction.Write(hello());
    }

    /** Call when the TLS handshake failed; the connection is then unusable. */
    public ClientAction tlsFailed(String reason) {
        return close(LocalReplies.tlsFailed(reason));
    }

    /** The connection failed (lost, timeout, protocol error). */
    public ClientAction abort(Reply reason) {
        return state == State.CLOSED ? new ClientAction.Close(reason) : close(reason);
    }

    public boolean tlsActive() {
        return tlsActive;
    }

    /** What the server advertised in the last EHLO/LHLO; {@link EhloCapabilities#none()} before or after HELO. */
    public EhloCapabilities capabilities() {
        return capabilities;
    }

    private ClientAction afterFirstHello() {
        if (!tlsActive && (config.tlsPolicy() != TlsPolicy.NONE || config.authenticates())) {
            if (capabilities.startTls()) {
                state = State.STARTTLS;
                return new ClientAction.Write(SmtpCommands.startTls());
            }
            if (config.authenticates()) {
                return close(LocalReplies.tlsNotOfferedForAuth());
            }
            if (config.tlsPolicy() == TlsPolicy.REQUIRED) {
                return close(LocalReplies.tlsNotOffered());
            }
        }
        return authenticateOrReady();
    }

    private ClientAction authenticateOrReady() {
        if (!config.authenticates()) {
            return ready();
        }
        if (!tlsActive) {
            // Unreachable through afterFirstHello; kept so no future path can send credentials in clear.
            return close(LocalReplies.authUnavailable("refusing to send credentials without TLS"));
        }
        var mechanism = ClientAuth.choose(capabilities.authMechanisms());
        if (mechanism.isEmpty()) {
            return close(LocalReplies.authUnavailable("it offers neither AUTH PLAIN nor LOGIN (offers: "
                    + (capabilities.authMechanisms().isEmpty() ? "no AUTH"
                            : String.join(" ", capabilities.authMechanisms())) + ")"));
        }
        auth = new ClientAuth(mechanism.get(), config.credentials());
        state = State.AUTH;
        return new ClientAction.Write(auth.start());
    }

    private byte[] hello() {
        return config.lmtp() ? SmtpCommands.lhlo(config.heloName()) : SmtpCommands.ehlo(config.heloName());
    }

    private ClientAction ready() {
        state = State.READY;
        return new ClientAction.Ready(capabilities);
    }

    private ClientAction close(Reply reason) {
        state = State.CLOSED;
        return new ClientAction.Close(reason);
    }
}
