package dev.tern.delivery.client;

import dev.tern.smtp.reply.Reply;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A connection could not be had, or not brought to the ready state: what {@link #kind()} of
 * failure, and the reply that explains it (local or remote). The sender decides by the kind
 * alone: {@link Kind#THROTTLED} defers the mail untried, {@link Kind#TLS_FAILED} may retry in
 * plain text, any other kind tries the next hop. Unchecked so it can travel through futures.
 */
public final class ConnectFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, as far as the client can tell without reading reply texts. */
    public enum Kind {
        /** Our own limits: no connection slot in time, too many waiting, or the destination backs off. Nothing was tried. */
        THROTTLED,
        /** The host name of the hop did not resolve. */
        DNS,
        /** The TCP connection was refused or could not be made. */
        UNREACHABLE,
        /** The server did not answer within the connect or command timeout before the session was ready. */
        TIMEOUT,
        /** The server closed the connection before the session was ready. */
        LOST,
        /** TLS is required but the server did not offer STARTTLS or refused it. */
        TLS_REQUIRED,
        /** The TLS handshake failed. */
        TLS_FAILED,
        /** The smarthost rejected our credentials (the client's {@code 4.7.8}, after e.g. {@code 535 5.7.8}). */
        AUTH_FAILED,
        /** The server refused the session (greeting, EHLO, AUTH for another reason) or broke the protocol. */
        REJECTED;

        /** The kind of a failed TCP connect (a slow one ends by the connection's own timer: {@link #TIMEOUT}). */
        public static Kind ofConnectError(Throwable cause) {
            return cause instanceof UnknownHostException ? DNS : UNREACHABLE;
        }

        /**
         * The kind of a session the SMTP client closed on a reply before it was ready, when no
         * timeout, lost connection or TLS handshake failure was the cause: the client reports TLS
         * being required but unavailable only as its {@code 4.7.4} reply, and rejected credentials as
         * its {@code 4.7.8} ({@code LocalReplies}).
         */
        public static Kind ofSessionClosed(Reply reason) {
            String status = reason.status() == null ? "" : reason.status().toString();
            return switch (status) {
                case "4.7.4" -> TLS_REQUIRED;
                case "4.7.8" -> AUTH_FAILED;
                default -> REJECTED;
            };
        }
    }

    private final Kind kind;
    private final transient Reply reply;

    public ConnectFailure(Kind kind, Reply reply) {
        super(kind + ": " + reply, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.reply = reply;
    }

    public Kind kind() {
        return kind;
    }

    public Reply reply() {
        return reply;
    }
}
