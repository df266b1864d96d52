package dev.tern.delivery.client;

import dev.tern.delivery.route.NextHop;
import dev.tern.smtp.client.ClientAction;
import dev.tern.smtp.client.ClientSession;
import dev.tern.smtp.client.DotStuffer;
import dev.tern.smtp.client.HandshakeConfig;
import dev.tern.smtp.client.LocalReplies;
import dev.tern.smtp.client.OutboundEnvelope;
import dev.tern.smtp.client.TransactionOutcome;
import dev.tern.smtp.reply.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSession;
import org.jboss.logging.Logger;

/**
 * One outbound SMTP or LMTP connection: moves bytes between a Vert.x {@link NetSocket} and the
 * no-I/O {@link ClientSession} of the {@code smtp} module, and owns the timers the session asks
 * the driver to keep (RFC 5321 §4.5.3.2).
 *
 * <p>Lifecycle: {@link #open} connects, reads the greeting, does EHLO (HELO fallback, LHLO for
 * LMTP) and STARTTLS as the policy says, and completes when the session is ready; then
 * {@link #send} runs one transaction at a time (PIPELINING when offered) and completes with the
 * per-recipient outcomes. {@link #close} sends QUIT. A transaction that ends with a reusable
 * connection leaves it in a clean state (the session sends RSET after a failed transaction), so
 * the pool can hand it to the next message.
 *
 * <p>Threading: every method must be called on the Vert.x context the connection was opened on;
 * socket callbacks arrive there too, so no locking is needed. Failure: TCP errors, timeouts and
 * protocol errors never throw; they become the transient local replies of {@link LocalReplies}
 * (451 4.4.2, 451 4.5.0) on the pending future.
 */
public final class OutboundConnection {

    private static final Logger LOG = Logger.getLogger(OutboundConnection.class);
    /** Longest wait after QUIT for the server to close its side (RFC 5321 §4.1.1.10). */
    private static final long QUIT_WAIT_MILLIS = 1000;

    private final Vertx vertx;
    private final NextHop hop;
    private final ClientSession session;
    private final Timeouts timeouts;
    private NetSocket socket;
    private long timer = -1;
    private byte[] body;
    private CompletableFuture<OutboundConnection> ready;
    private CompletableFuture<TransactionOutcome> transaction;
    private boolean closed;
    private int messagesSent;
    private String tls;
    private long idleSince;
    /** Why the session is being closed when the driver, not a reply, caused it: the kind of a failed open. */
    private ConnectFailure.Kind cause;
    private final CompletableFuture<Void> gone = new CompletableFuture<>();

    private OutboundConnection(Vertx vertx, NextHop hop, HandshakeConfig handshake, Timeouts timeouts) {
        this.vertx = vertx;
        this.hop = hop;
        this.session = new ClientSession(handshake);
        this.timeouts = timeouts;
    }

    /**
     * Connects to {@code hop} and completes when the session is ready for a transaction, or fails
     * with a {@link ConnectFailure} carrying the reason. Call on the delivery context.
     */
    public static CompletableFuture<OutboundConnection> open(Vertx vertx, NetClient client, NextHop hop,
            HandshakeConfig handshake, Timeouts timeouts) {
        var c = new OutboundConnection(vertx, hop, handshake, timeouts);
        c.ready = new CompletableFuture<>();
        String target = hop.address() != null ? hop.address() : hop.host();
        c.arm(timeouts.connect().toMillis());
        client.connect(hop.port(), target, hop.host()).onComplete(ar -> {
            if (ar.failed()) {
                c.cancelTimer();
                c.closed = true;
                c.ready.completeExceptionally(new ConnectFailure(ConnectFailure.Kind.ofConnectError(ar.cause()),
                        Reply.of(451, "4.4.1", "Cannot connect to " + hop + ": " + ar.cause().getMessage())));
                return;
            }
            if (c.closed) {
                ar.result().close();
                return;
            }
            c.attach(ar.result());
        });
        return c.ready;
    }

    private void attach(NetSocket s) {
        this.socket = s;
        s.handler(this::onBytes);
        s.closeHandler(v -> {
            gone.complete(null);
            if (!closed) {
                closed = true;
                cause = ConnectFailure.Kind.LOST;
                act(session.connectionLost());
            }
        });
        s.exceptionHandler(e -> LOG.debugf("connection to %s: %s", hop, e.toString()));
        // The greeting (or a timeout) decides the first step; the connect timer covers both.
        act(session.start());
    }

    /** Runs one transaction; completes with per-recipient outcomes (never exceptionally). */
    public CompletableFuture<TransactionOutcome> send(OutboundEnvelope envelope, byte[] message) {
        if (transaction != null && !transaction.isDone()) {
            throw new IllegalStateException("a transaction is already running on " + hop);
        }
        this.transaction = new CompletableFuture<>();
        this.body = message;
        CompletableFuture<TransactionOutcome> mine = transaction;
        act(session.send(envelope));
        return mine;
    }

    private void onBytes(Buffer buffer) {
        cancelTimer();
        byte[] bytes = buffer.getBytes();
        act(session.receive(bytes));
    }

    private void act(ClientAction action) {
        try {
            perform(action);
        } catch (RuntimeException e) {
            // A driver bug or a socket refusing an operation must not leave a transaction hanging.
            LOG.warnf(e, "connection to %s failed in %s", hop, action.getClass().getSimpleName());
            if (!closed) {
                closed = true;
                if (socket != null) {
                    socket.close();
                }
                cause = ConnectFailure.Kind.LOST;
                perform(session.connectionLost());
            }
        }
    }

    private void perform(ClientAction action) {
        if (action instanceof ClientAction.Write w) {
            socket.write(Buffer.buffer(w.bytes()));
            arm(timeouts.command().toMillis());
        } else if (action instanceof ClientAction.WriteBody) {
            socket.write(Buffer.buffer(DotStuffer.encodeAll(body)));
            body = null;
            arm(timeouts.data().toMillis());
        } else if (action instanceof ClientAction.Await) {
            if (!closed && timer < 0 && (waitingForReady() || waitingForTransaction())) {
                arm(ready != null && !ready.isDone() ? timeouts.connect().toMillis() : timeouts.command().toMillis());
            }
        } else if (action instanceof ClientAction.StartTls) {
            cancelTimer();
            arm(timeouts.command().toMillis());
            socket.upgradeToSsl(hop.host()).onComplete(ar -> {
                cancelTimer();
                if (ar.succeeded()) {
                    tls = describe(socket.sslSession());
                    act(session.tlsEstablished());
                } else {
                    LOG.debugf(ar.cause(), "TLS handshake with %s failed", hop);
                    cause = ConnectFailure.Kind.TLS_FAILED;
                    act(session.tlsFailed(String.valueOf(ar.cause().getMessage())));
                }
            });
        } else if (action instanceof ClientAction.Ready) {
            cancelTimer();
            idleSince = System.nanoTime();
            ready.complete(this);
        } else if (action instanceof ClientAction.TransactionDone done) {
            cancelTimer();
            messagesSent++;
            idleSince = System.nanoTime();
            if (!done.outcome().connectionReusable()) {
                close();
            }
            transaction.complete(done.outcome());
        } else if (action instanceof ClientAction.Close c) {
            cancelTimer();
            // Complete first: close() would otherwise report a generic "connection lost".
            if (!ready.isDone()) {
                ready.completeExceptionally(new ConnectFailure(
                        cause != null ? cause : ConnectFailure.Kind.ofSessionClosed(c.reason()), c.reason()));
            }
            close();
        }
    }

    private boolean waitingForReady() {
        return ready != null && !ready.isDone();
    }

    private boolean waitingForTransaction() {
        return transaction != null && !transaction.isDone();
    }

    private void arm(long millis) {
        cancelTimer();
        timer = vertx.setTimer(Math.max(1, millis), id -> {
            timer = -1;
            if (!closed) {
                cause = ConnectFailure.Kind.TIMEOUT;
                act(session.timedOut());
            } else if (!ready.isDone()) {
                ready.completeExceptionally(new ConnectFailure(ConnectFailure.Kind.TIMEOUT, LocalReplies.timedOut()));
            }
        });
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /**
     * Says QUIT when the session is still open and closes the socket once the server has closed its
     * side (at most {@value #QUIT_WAIT_MILLIS} ms later), so that a connection slot given back on
     * the returned future is no longer counted by the server either. Idempotent.
     */
    public CompletableFuture<Void> close() {
        cancelTimer();
        if (socket != null && !closed) {
            closed = true;
            if (session.ready()) {
                NetSocket s = socket;
                s.handler(ignored -> { });
                s.write(Buffer.buffer(session.quit()));
                long quitTimer = vertx.setTimer(QUIT_WAIT_MILLIS, id -> s.close());
                gone.whenComplete((v, e) -> vertx.cancelTimer(quitTimer));
            } else {
                socket.close();
            }
        }
        if (socket == null) {
            gone.complete(null);
        }
        closed = true;
        if (waitingForTransaction()) {
            act(session.connectionLost());
        }
        if (waitingForReady()) {
            ready.completeExceptionally(new ConnectFailure(ConnectFailure.Kind.LOST, LocalReplies.connectionLost()));
        }
        return gone;
    }

    public boolean usable() {
        return !closed && session.ready();
    }

    public NextHop hop() {
        return hop;
    }

    public int messagesSent() {
        return messagesSent;
    }

    /** Negotiated TLS protocol and cipher suite, or null for plain text. */
    public String tls() {
        return tls;
    }

    /** Nanosecond timestamp of the end of the last transaction (or of the handshake). */
    public long idleSince() {
        return idleSince;
    }

    private static String describe(SSLSession s) {
        return s == null ? "TLS" : s.getProtocol() + " " + s.getCipherSuite();
    }

    @Override
    public String toString() {
        return "OutboundConnection[" + hop + (tls == null ? "" : ", " + tls) + ", sent " + messagesSent + "]";
    }
}
