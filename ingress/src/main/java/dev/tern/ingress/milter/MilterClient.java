package dev.tern.ingress.milter;

import dev.tern.smtp.milter.MilterTransaction;
import dev.tern.smtp.milter.MilterVerdict;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import org.jboss.logging.Logger;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The connections to one milter: idle ones are pooled and reused message after message (QUIT_NC
 * between them); a connection that erred or timed out is closed. A pooled connection the milter
 * closed while idle is noticed on first use and the message is retried once on a fresh one.
 *
 * <p>Not every milter serves a new session after QUIT_NC: libmilter-based ones such as
 * clamav-milter 1.4 stay silent. A reused connection must therefore answer the first step
 * within {@link #REUSE_PROBE}; when it does not, this milter's connections are no longer reused
 * (each message gets its own, ended with QUIT) and the message is retried on a fresh one.
 */
final class MilterClient {

    private static final Logger LOG = Logger.getLogger(MilterClient.class);
    private static final int MAX_IDLE = 8;
    static final Duration REUSE_PROBE = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final NetClient client;
    private final String host;
    private final int port;
    private final Deque<MilterConnection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean reuse = true;

    MilterClient(Vertx vertx, NetClient client, String host, int port) {
        this.vertx = vertx;
        this.client = client;
        this.host = host;
        this.port = port;
    }

    /** The milter's verdict, or a failure (connection, protocol, or no verdict within {@code timeout}). */
    Future<MilterVerdict> check(MilterTransaction transaction, Duration timeout) {
        Promise<MilterVerdict> result = Promise.promise();
        var inUse = new AtomicReference<MilterConnection>();
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            MilterConnection c = inUse.get();
            if (c != null) {
                c.close();
            }
            result.tryFail(new TimeoutException("no verdict from " + host + ":" + port + " within " + timeout));
        });
        attempt(transaction, inUse, true).onComplete(r -> {
            vertx.cancelTimer(timer);
            MilterConnection c = inUse.get();
            if (r.succeeded() && result.tryComplete(r.result())) {
                release(c);
            } else {
                if (c != null) {
                    c.close();
                }
                result.tryFail(r.failed() ? r.cause() : new TimeoutException("timed out"));
            }
        });
        return result.future();
    }

    private Future<MilterVerdict> attempt(MilterTransaction t, AtomicReference<MilterConnection> inUse,
            boolean mayRetry) {
        MilterConnection pooled = mayRetry ? borrow() : null;
        Future<MilterConnection> conn = pooled != null ? Future.succeededFuture(pooled)
                : MilterConnection.open(client, host, port);
        return conn.compose(c -> {
            inUse.set(c);
            return c.run(vertx, t, pooled != null ? REUSE_PROBE.toMillis() : 0).recover(e -> {
                if (pooled != null && (e instanceof MilterConnection.ClosedBeforeAnswer
                        || e instanceof MilterConnection.SilentOnReuse)) {
                    if (e instanceof MilterConnection.SilentOnReuse) {
                        reuse = false;
                        LOG.infof("milter %s:%d does not serve a new session after QUIT_NC: one connection per"
                                + " message from now on", host, port);
                    }
                    return attempt(t, inUse, false);
                }
                return Future.failedFuture(e);
            });
        });
    }

    private MilterConnection borrow() {
        MilterConnection c;
        while ((c = idle.pollFirst()) != null) {
            if (!c.isClosed()) {
                return c;
            }
        }
        return null;
    }

    private void release(MilterConnection c) {
        if (c == null || c.isClosed()) {
            return;
        }
        if (!reuse) {
            c.quit();
        } else if (idle.size() < MAX_IDLE) {
            idle.addFirst(c);
        } else {
            c.close();
        }
    }

    void close() {
        MilterConnection c;
        while ((c = idle.pollFirst()) != null) {
            c.close();
        }
    }
}
