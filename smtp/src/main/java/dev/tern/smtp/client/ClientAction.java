package dev.tern.smtp.client;

import dev.tern.smtp.reply.Reply;

/**
 * What the I/O layer must do next, as told by {@link ClientSession} (or directly by
 * {@link ClientHandshake} / {@link ClientTransaction}).
 *
 * <p>The state machines never touch a socket; after each call the driver looks at the returned action:
 * <ul>
 *   <li>{@link Write}: write the bytes, then keep reading and feed replies back.</li>
 *   <li>{@link WriteBody}: write the message through a fresh {@link DotStuffer} including its
 *       {@link DotStuffer#finish()}, then keep reading.</li>
 *   <li>{@link Await}: nothing to write; keep reading (e.g. more pipelined replies are due).</li>
 *   <li>{@link StartTls}: upgrade the socket to TLS now, then call {@code tlsEstablished()} (or
 *       {@code tlsFailed(reason)}). Do not read any plaintext byte in between (RFC 3207 §4.2).</li>
 *   <li>{@link Ready}: the connection is idle and may start a transaction.</li>
 *   <li>{@link TransactionDone}: per-recipient outcomes are final; the connection is then
 *       ready again if {@link TransactionOutcome#connectionReusable()}.</li>
 *   <li>{@link Close}: the connection is unusable; send QUIT if it is still open, then close.
 *       The reply says why (greeting refused, TLS required but missing, ...).</li>
 * </ul>
 */
public sealed interface ClientAction {

    Await AWAIT = new Await();
    WriteBody WRITE_BODY = new WriteBody();
    StartTls START_TLS = new StartTls();

    /** Write these bytes, then keep reading. */
    record Write(byte[] bytes) implements ClientAction {
    }

    /** Write the dot-stuffed message body and {@code .CRLF}, then keep reading. */
    record WriteBody() implements ClientAction {
    }

    /** Keep reading; nothing to write. */
    record Await() implements ClientAction {
    }

    /** Perform the TLS handshake on the socket now. */
    record StartTls() implements ClientAction {
    }

    /** The session is ready for a transaction with these capabilities. */
    record Ready(EhloCapabilities capabilities) implements ClientAction {
    }

    /** The transaction is over; outcomes are final. */
    record TransactionDone(TransactionOutcome outcome) implements ClientAction {
    }

    /** The connection cannot be used (any more); {@code reason} applies to mail not yet sent. */
    record Close(Reply reason) implements ClientAction {
    }
}
