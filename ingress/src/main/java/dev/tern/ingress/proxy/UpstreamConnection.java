package dev.tern.ingress.proxy;

import dev.tern.smtp.client.ClientAction;
import dev.tern.smtp.client.ClientHandshake;
import dev.tern.smtp.client.DotStuffer;
import dev.tern.smtp.client.EhloCapabilities;
import dev.tern.smtp.client.HandshakeConfig;
import dev.tern.smtp.client.ReplyParser;
import dev.tern.smtp.client.SmtpCommands;
import dev.tern.smtp.client.SmtpProtocolException;
import dev.tern.smtp.reply.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * The {@link Upstream} over a Vert.x socket. The opening (greeting, EHLO, STARTTLS per
 * {@code tern.ingress.proxy.upstream-tls}, HELO fallback) is {@link ClientHandshake}'s; after it,
 * each command gets exactly one reply, read with {@link ReplyParser}.
 *
 * <p>Threading: opened from the client connection's event-loop context, so every callback runs
 * there too. Failure: a refused connection, a failed handshake, a timeout
 * ({@code connect-timeout} for the opening, {@code reply-timeout} per reply), a reply nobody asked
 * for, a 421 or a lost connection fails what is pending with {@link UpstreamUnavailable} and marks
 * the connection unusable.
 */
final class UpstreamConnection implements Upstream {

    private static final Logger LOG = Logger.getLogger(UpstreamConnection.class);
    private static final long QUIT_WAIT_MILLIS = 2_000;

    private final Vertx vertx;
    private final ProxySettings settings;
    private final ClientHandshake handshake;
    private final ReplyParser parser = new ReplyParser();
    private final CompletableFuture<Upstream> ready = new CompletableFuture<>();
    private NetSocket socket;
    private CompletableFuture<Reply> waiting;
    private byte[] bodyAfter354;
    private boolean closed;
    private long timer = -1;

    private UpstreamConnection(Vertx vertx, ProxySettings settings, String heloName) {
        this.vertx = vertx;
        this.settings = settings;
        this.handshake = new ClientHandshake(HandshakeConfig.smtp(heloName, settings.tlsPolicy()));
    }

    /** Connects and completes when the upstream is ready for MAIL, or fails with {@link UpstreamUnavailable}. */
    static CompletableFuture<Upstream> open(Vertx vertx, NetClient client, ProxySettings settings, String heloName) {
        var c = new UpstreamConnection(vertx, settings, heloName);
        c.arm(settings.connectTimeout());
        client.connect(settings.port(), settings.host(), settings.host()).onComplete(ar -> {
            if (ar.failed()) {
                c.fail("cannot connect to " + settings.upstream() + ": " + ar.cause().getMessage());
            } else if (c.closed) {
                ar.result().close();
            } else {
                c.attach(ar.result());
            }
        });
        return c.ready;
    }

    private void attach(NetSocket s) {
        socket = s;
        s.handler(this::onBytes);
        s.closeHandler(v -> fail("connection to " + settings.upstream() + " lost"));
        s.exceptionHandler(e -> LOG.debugf("connection to %s: %s", settings.upstream(), e.toString()));
        perform(handshake.start());
    }

    @Override
    public EhloCapabilities capabilities() {
        return handshake.capabilities();
    }

    @Override
    public CompletionStage<Reply> command(byte[] line) {
        return send(line, null);
    }

    @Override
    public CompletionStage<Reply> message(byte[] message) {
        if (capabilities().chunking()) {
            byte[] command = ("BDAT " + message.length + " LAST\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] both = new byte[command.length + message.length];
            System.arraycopy(command, 0, both, 0, command.length);
            System.arraycopy(message, 0, both, command.length, message.length);
            return send(both, null);
        }
        return send(SmtpCommands.data(), message);
    }

    private CompletionStage<Reply> send(byte[] bytes, byte[] body) {
        if (closed) {
            return CompletableFuture.failedFuture(new UpstreamUnavailable("connection to " + settings.upstream()
                    + " already closed"));
        }
        if (waiting != null && !waiting.isDone()) {
            throw new IllegalStateException("a command is already waiting for its reply");
        }
        waiting = new CompletableFuture<>();
        bodyAfter354 = body;
        CompletableFuture<Reply> mine = waiting;
        socket.write(Buffer.buffer(bytes));
        arm(settings.replyTimeout());
        return mine;
    }

    private void onBytes(Buffer buffer) {
        if (closed) {
            return;
        }
        List<Reply> replies;
        try {
            replies = parser.feed(buffer.getBytes());
        } catch (SmtpProtocolException e) {
            fail("bad reply from " + settings.upstream() + ": " + e.getMessage());
            return;
        }
        for (Reply reply : replies) {
            if (closed) {
                return;
            }
            if (!ready.isDone()) {
                perform(handshake.onReply(reply));
            } else {
                onReply(reply);
            }
        }
    }

    private void onReply(Reply reply) {
        if (waiting == null || waiting.isDone() || reply.code() == 421) {
            // 421 (or an unsolicited reply: an idle timeout notice) means the upstream is going away.
            fail(settings.upstream() + " said " + reply);
            return;
        }
        if (bodyAfter354 != null && reply.code() == 354) {
            socket.write(Buffer.buffer(DotStuffer.encodeAll(bodyAfter354)));
            bodyAfter354 = null;
            arm(settings.replyTimeout());
            return;
        }
        bodyAfter354 = null;
        cancelTimer();
        waiting.complete(reply);
    }

    private void perform(ClientAction action) {
        if (action instanceof ClientAction.Write w) {
            socket.write(Buffer.buffer(w.bytes()));
        } else if (action instanceof ClientAction.StartTls) {
            socket.upgradeToSsl(settings.host()).onComplete(ar -> {
                if (closed) {
                    return;
                }
                perform(ar.succeeded() ? handshake.tlsEstablished()
                        : handshake.tlsFailed(String.valueOf(ar.cause().getMessage())));
            });
        } else if (action instanceof ClientAction.Ready) {
            cancelTimer();
            parser.enhancedStatusCodes(handshake.capabilities().enhancedStatusCodes());
            ready.complete(this);
        } else if (action instanceof ClientAction.Close c) {
            quit();
            fail(settings.upstream() + " refused the session: " + c.reason());
        }
        // Await: keep reading.
    }

    @Override
    public void quit() {
        cancelTimer();
        if (socket != null && !closed) {
            closed = true;
            NetSocket s = socket;
            // The upstream's 221 (or anything else) ends it; a silent one is cut off shortly after.
            s.handler(ignored -> s.close());
            s.write(Buffer.buffer(SmtpCommands.quit()));
            long cutOff = vertx.setTimer(QUIT_WAIT_MILLIS, id -> s.close());
            s.closeHandler(v -> vertx.cancelTimer(cutOff));
        }
        closed = true;
    }

    private void fail(String why) {
        boolean wasOpen = !closed;
        closed = true;
        cancelTimer();
        if (socket != null && wasOpen) {
            socket.close();
        }
        var failure = new UpstreamUnavailable(why);
        if (!ready.isDone()) {
            LOG.debugf("upstream unavailable: %s", why);
            ready.completeExceptionally(failure);
        }
        if (waiting != null && !waiting.isDone()) {
            LOG.debugf("upstream lost: %s", why);
            waiting.completeExceptionally(failure);
        }
    }

    private void arm(Duration timeout) {
        cancelTimer();
        timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
            timer = -1;
            fail("no reply from " + settings.upstream() + " within " + timeout);
        });
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
