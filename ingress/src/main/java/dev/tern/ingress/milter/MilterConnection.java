package dev.tern.ingress.milter;

import dev.tern.smtp.milter.MilterCommands;
import dev.tern.smtp.milter.MilterConversation;
import dev.tern.smtp.milter.MilterProtocolException;
import dev.tern.smtp.milter.MilterResponse;
import dev.tern.smtp.milter.MilterTransaction;
import dev.tern.smtp.milter.MilterVerdict;
import dev.tern.smtp.milter.Negotiated;
import dev.tern.smtp.milter.ResponseDecoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * One open, negotiated connection to a milter, carrying one message at a time. Everything runs on
 * the socket's event loop. A connection that failed in any way is closed and never reused.
 */
final class MilterConnection {

    /** The milter ended the connection before this message got any answer (a stale pooled one). */
    static final class ClosedBeforeAnswer extends IOException {
        ClosedBeforeAnswer() {
            super("milter closed the connection before answering");
        }
    }

    /** A reused connection stayed silent: the milter does not serve a new session after QUIT_NC. */
    static final class SilentOnReuse extends IOException {
        SilentOnReuse() {
            super("milter did not answer on a reused connection");
        }
    }

    private final NetSocket socket;
    private final ResponseDecoder decoder = new ResponseDecoder();
    private Negotiated negotiated;
    private Consumer<MilterResponse> onResponse;
    private Consumer<Throwable> onFailure;
    private boolean answered;
    private volatile boolean closed;

    private MilterConnection(NetSocket socket) {
        this.socket = socket;
        socket.handler(this::received);
        socket.closeHandler(v -> {
            closed = true;
            fail(answered ? new IOException("milter closed the connection mid-message") : new ClosedBeforeAnswer());
        });
        socket.exceptionHandler(this::fail);
    }

    /** Connects and negotiates options (protocol version 6). */
    static Future<MilterConnection> open(NetClient client, String host, int port) {
        return client.connect(port, host).compose(socket -> {
            var c = new MilterConnection(socket);
            Promise<MilterConnection> done = Promise.promise();
            c.await(r -> {
                c.negotiated = Negotiated.from(r);
                c.onResponse = null;
                c.onFailure = null;
                done.tryComplete(c);
            }, e -> {
                c.close();
                done.tryFail(e);
            });
            socket.write(Buffer.buffer(Negotiated.offer()));
            return done.future();
        });
    }

    /**
     * Runs one message's conversation; the connection is ready for the next when this succeeds.
     *
     * @param firstAnswer when positive, the milliseconds within which the first answer must come,
     *                    else the run fails with {@link SilentOnReuse}
     */
    Future<MilterVerdict> run(Vertx vertx, MilterTransaction transaction, long firstAnswer) {
        Promise<MilterVerdict> done = Promise.promise();
        answered = false;
        if (firstAnswer > 0) {
            vertx.setTimer(firstAnswer, id -> {
                if (!answered && !done.future().isComplete()) {
                    fail(new SilentOnReuse());
                }
            });
        }
        var conversation = new MilterConversation(negotiated, transaction);
        await(r -> {
            answered = true;
            write(conversation.receive(r));
            MilterVerdict verdict = conversation.verdict();
            if (verdict != null) {
                onResponse = null;
                onFailure = null;
                write(conversation.finish());
                done.tryComplete(verdict);
            }
        }, e -> {
            close();
            done.tryFail(e);
        });
        if (closed) {
            fail(new ClosedBeforeAnswer());
        } else {
            write(conversation.start());
        }
        return done.future();
    }

    Negotiated negotiated() {
        return negotiated;
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        closed = true;
        socket.close();
    }

    /** Ends the connection politely (QUIT), for milters that cannot start a new session on it. */
    void quit() {
        if (!closed) {
            write(MilterCommands.quit());
            close();
        }
    }

    private void await(Consumer<MilterResponse> response, Consumer<Throwable> failure) {
        onResponse = response;
        onFailure = failure;
    }

    private void write(byte[] bytes) {
        if (bytes.length > 0) {
            socket.write(Buffer.buffer(bytes));
        }
    }

    private void received(Buffer data) {
        try {
            for (MilterResponse r : decoder.feed(data.getBytes())) {
                if (onResponse == null) {
                    throw new MilterProtocolException("response while no message is under way: " + r);
                }
                onResponse.accept(r);
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void fail(Throwable e) {
        Consumer<Throwable> f = onFailure;
        onResponse = null;
        onFailure = null;
        if (f != null) {
            f.accept(e);
        } else if (!closed) {
            close();
        }
    }
}
