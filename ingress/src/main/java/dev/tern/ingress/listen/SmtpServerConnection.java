package dev.tern.ingress.listen;

import dev.tern.common.policy.Checks;
import dev.tern.ingress.proxy.ProxySessionPolicy;
import dev.tern.ingress.session.IngressSessionPolicy;
import dev.tern.ingress.session.SessionFacts;
import dev.tern.smtp.reply.Reply;
import dev.tern.smtp.server.ServerSession;
import dev.tern.smtp.server.SessionConfig;
import dev.tern.smtp.server.SessionOutput;
import dev.tern.smtp.server.SessionPolicy;
import dev.tern.smtp.server.Signal;
import dev.tern.smtp.server.TlsInfo;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLSession;
import org.jboss.logging.Logger;

/**
 * Carries one SMTP session over one Vert.x socket: bytes in go to the {@link ServerSession},
 * replies and signals out go to the socket. Owns the connection's timers (greeting delay for
 * early-talker detection, idle timeout, whole-session timeout) and its connection-limit slot.
 *
 * <p>Threading: everything runs on the socket's event-loop context; the session's asynchronous
 * continuations are brought back to it with {@code context::runOnContext}.
 */
final class SmtpServerConnection implements SessionOutput {

    private static final Logger LOG = Logger.getLogger(SmtpServerConnection.class);

    private final NetSocket socket;
    private final Context context;
    private final ListenerSupport support;
    private final Listener listener;
    private final String ip;
    private ServerSession session;
    private ProxySessionPolicy proxy;
    private boolean greeted;
    private boolean closed;
    private long idleTimer = -1;
    private long sessionTimer = -1;

    SmtpServerConnection(NetSocket socket, Context context, ListenerSupport support, Listener listener) {
        this.socket = socket;
        this.context = context;
        this.support = support;
        this.listener = listener;
        this.ip = socket.remoteAddress().hostAddress();
    }

    void start() {
        InetAddress address;
        try {
            address = ListenerSupport.inet(ip);
        } catch (IllegalArgumentException e) {
            // Nobody can say whether this client is trusted: refuse it rather than guess.
            LOG.warnf("refusing a connection: %s", e.getMessage());
            Reply r = Reply.of(421, "4.7.0", support.hostname() + " Error: cannot read your address");
            support.metrics().reply(r.code());
            socket.write(Buffer.buffer(r.toWire()));
            socket.close();
            return;
        }
        boolean trusted = support.policy().get().relay().isTrusted(address);
        var refusal = support.limiter().acquire(ip, trusted);
        if (refusal != null) {
            support.metrics().connectionRefused(refusal.name().toLowerCase(java.util.Locale.ROOT));
            Reply r = refusal == ConnectionLimiter.Refusal.DRAINING
                    ? Reply.of(421, "4.3.2", support.hostname() + " Service shutting down, try another server")
                    : Reply.of(421, "4.7.0", support.hostname() + " Error: too many connections"
                            + (refusal == ConnectionLimiter.Refusal.PER_IP ? " from " + ip : ""));
            support.metrics().reply(r.code());
            socket.write(Buffer.buffer(r.toWire()));
            socket.close();
            return;
        }
        support.register(this);
        support.metrics().sessionOpened();
        SessionFacts facts = new SessionFacts(address, ip, support.hostname(), listener.label());
        SessionPolicy policy;
        CompletableFuture<Reply> listed;
        if (listener == Listener.PROXY) {
            // The upstream opens while the client reads our greeting; its verdicts replace ours.
            proxy = support.proxy().open(facts, task -> context.runOnContext(v -> task.run()));
            policy = proxy;
            listed = CompletableFuture.completedFuture(null);
        } else {
            var ingress = new IngressSessionPolicy(facts, support.services());
            policy = ingress;
            listed = connectRefusal(ingress, address, trusted);
        }
        TlsInfo implicit = listener.implicitTls() ? tlsInfo(socket.sslSession()) : null;
        SessionConfig config = support.sessionConfig(listener, implicit);
        session = new ServerSession(config, policy, this, task -> context.runOnContext(v -> task.run()));
        socket.handler(this::onData);
        socket.closeHandler(v -> onClosed());
        socket.exceptionHandler(e -> LOG.debugf("connection from %s: %s", ip, e.toString()));
        var limits = support.config().limits();
        sessionTimer = context.owner().setTimer(limits.sessionTimeout().toMillis(), id -> session.timeout());
        long delay = limits.greetingDelay().toMillis();
        if (delay > 0) {
            context.owner().setTimer(delay, id -> greetAfter(listed));
        } else {
            greetAfter(listed);
        }
    }

    /**
     * The DNSBL verdict when the policy checks at connect ({@code checks.dnsbl.stage: connect}):
     * the 554 greeting for a listed client, else null. Trusted networks are never checked.
     */
    private CompletableFuture<Reply> connectRefusal(IngressSessionPolicy policy, InetAddress address, boolean trusted) {
        var checks = support.policy().get().checks();
        if (trusted || !checks.dnsbl().enabled() || checks.dnsbl().stage() != Checks.Dnsbl.Stage.CONNECT) {
            return CompletableFuture.completedFuture(null);
        }
        return policy.reputation().thenApply(v -> support.services().checks().recipient()
                .refusalAtConnect(checks, v, address)).toCompletableFuture();
    }

    private void greetAfter(CompletableFuture<Reply> refusal) {
        if (refusal.isDone()) {
            greet(refusal.getNow(null));
        } else {
            refusal.whenComplete((r, e) -> context.runOnContext(v -> greet(r)));
        }
    }

    private void greet(Reply refusal) {
        if (closed || greeted) {
            return;
        }
        greeted = true;
        armIdleTimer();
        if (support.limiter().draining()) {
            session.shutdown();
        } else if (refusal != null) {
            session.startRejecting(refusal);
        } else {
            session.start();
        }
    }

    private void onData(Buffer data) {
        if (closed) {
            return;
        }
        if (!greeted) {
            // RFC 5321 §4.3.1: the client must wait for the greeting. Talking first is what
            // spam bots do to save a round trip.
            greeted = true;
            support.metrics().rejected("early_talker");
            session.rejectEarlyTalker();
            return;
        }
        armIdleTimer();
        session.receive(ByteBuffer.wrap(data.getBytes()));
        if (socket.writeQueueFull()) {
            socket.pause();
            socket.drainHandler(v -> socket.resume());
        }
    }

    @Override
    public void send(Reply reply) {
        if (closed) {
            return;
        }
        support.metrics().reply(reply.code());
        socket.write(Buffer.buffer(reply.toWire()));
        if (support.limiter().draining() && !session.isClosed() && !session.isAwaiting()
                && session.view().sender().isEmpty()) {
            // Draining: finish the transaction in flight, then say goodbye at the next boundary.
            context.runOnContext(v -> {
                if (!session.isClosed() && !session.isAwaiting() && session.view().sender().isEmpty()) {
                    session.shutdown();
                }
            });
        }
    }

    @Override
    public void signal(Signal signal) {
        switch (signal) {
            case CLOSE -> {
                cancelTimers();
                socket.end();
            }
            case PAUSE_INPUT -> socket.pause();
            case RESUME_INPUT -> socket.resume();
            case START_TLS -> socket.upgradeToSsl(ar -> {
                if (ar.succeeded()) {
                    session.tlsStarted(tlsInfo(socket.sslSession()));
                } else {
                    LOG.debugf("TLS handshake with %s failed: %s", ip, ar.cause().toString());
                    socket.close();
                }
            });
        }
    }

    /** Called when the pod drains: an idle session is told 421 now, a busy one after its transaction. */
    void drain() {
        context.runOnContext(v -> {
            if (session != null && !session.isClosed() && greeted && !session.isAwaiting()
                    && session.view().sender().isEmpty()) {
                session.shutdown();
            }
        });
    }

    void forceClose() {
        context.runOnContext(v -> socket.close());
    }

    private void onClosed() {
        if (closed) {
            return;
        }
        closed = true;
        cancelTimers();
        if (session != null) {
            session.disconnected();
        }
        if (proxy != null) {
            proxy.close();
        }
        support.limiter().release(ip);
        support.unregister(this);
    }

    private void armIdleTimer() {
        if (idleTimer >= 0) {
            context.owner().cancelTimer(idleTimer);
        }
        idleTimer = context.owner().setTimer(support.config().limits().idleTimeout().toMillis(), id -> {
            if (!session.isAwaiting()) {
                session.timeout();
            }
        });
    }

    private void cancelTimers() {
        if (idleTimer >= 0) {
            context.owner().cancelTimer(idleTimer);
        }
        if (sessionTimer >= 0) {
            context.owner().cancelTimer(sessionTimer);
        }
    }

    static TlsInfo tlsInfo(SSLSession ssl) {
        return ssl == null ? new TlsInfo("TLS", "unknown") : new TlsInfo(ssl.getProtocol(), ssl.getCipherSuite());
    }
}
