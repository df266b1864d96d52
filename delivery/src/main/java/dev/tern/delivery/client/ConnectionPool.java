package dev.tern.delivery.client;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.delivery.route.NextHop;
import dev.tern.delivery.throttle.DestinationGate;
import dev.tern.smtp.client.HandshakeConfig;
import dev.tern.smtp.reply.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Open SMTP/LMTP connections kept for reuse, per {@link Key} (destination, host, port, TLS policy,
 * protocol): the next message to the same place skips TCP, greeting, EHLO and STARTTLS.
 *
 * <p>Limits come from the {@link DestinationGate}: a new connection needs a slot of the
 * destination's {@code max-connections}; a connection goes back to the pool only while it may carry
 * more messages ({@code max-messages-per-connection}), otherwise it says QUIT. When no slot is free
 * the caller waits in a FIFO queue of the key until a connection comes back or a slot frees up, at
 * most {@code maxWait}; then the acquire fails with a transient {@code 451 4.7.0} (the message goes
 * to a retry tier rather than waiting in memory without bound). Idle connections are closed after
 * {@code idleTimeout} by {@link #sweep()}.
 *
 * <p>Threading: all methods run on the single delivery Vert.x context; nothing here is locked.
 */
public final class ConnectionPool {

    /** What a connection can be reused for. */
    public record Key(String destination, NextHop hop, HandshakeConfig handshake) {
    }

    /** A connection handed out by {@link #acquire}; {@code reused} when it had carried mail before. */
    public record Lease(Key key, SmtpConnection connection, boolean reused) {
    }

    private record Waiter(Key key, DestinationPolicy policy, CompletableFuture<Lease> future) {
    }

    private final Vertx vertx;
    private final NetClient opportunistic;
    private final NetClient verified;
    private final DestinationGate gate;
    private final Duration idleTimeout;
    private final Duration maxWait;
    private final Map<Key, Deque<SmtpConnection>> idle = new HashMap<>();
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private volatile int open;

    public ConnectionPool(Vertx vertx, NetClient opportunistic, NetClient verified, DestinationGate gate,
            Duration idleTimeout, Duration maxWait) {
        this.vertx = vertx;
        this.opportunistic = opportunistic;
        this.verified = verified;
        this.gate = gate;
        this.idleTimeout = idleTimeout;
        this.maxWait = maxWait;
    }

    /** An idle connection for {@code key}, or a new one; fails with {@link ConnectFailure}. */
    public CompletableFuture<Lease> acquire(Key key, DestinationPolicy policy) {
        var future = new CompletableFuture<Lease>();
        if (!tryAcquire(key, policy, future)) {
            var w = new Waiter(key, policy, future);
            waiters.add(w);
            vertx.setTimer(Math.max(1, maxWait.toMillis()), id -> {
                if (waiters.remove(w)) {
                    w.future.completeExceptionally(new ConnectFailure(Reply.of(451, "4.7.0",
                            "Throttled: no connection to " + key.destination() + " free within " + maxWait)));
                }
            });
        }
        return future;
    }

    private boolean tryAcquire(Key key, DestinationPolicy policy, CompletableFuture<Lease> future) {
        Deque<SmtpConnection> q = idle.get(key);
        while (q != null && !q.isEmpty()) {
            SmtpConnection c = q.pollFirst();
            if (c.usable()) {
                future.complete(new Lease(key, c, true));
                return true;
            }
            discard(key, c);
        }
        if (!gate.tryOpenConnection(key.destination(), policy)) {
            return false;
        }
        open++;
        NetClient client = key.handshake().tlsPolicy() == dev.tern.smtp.client.TlsPolicy.REQUIRED
                ? verified : opportunistic;
        SmtpConnection.open(vertx, client, key.hop(), key.handshake(), Timeouts.of(policy))
                .whenComplete((c, error) -> {
                    if (error != null) {
                        slotFreed(key.destination());
                        future.completeExceptionally(error);
                    } else {
                        future.complete(new Lease(key, c, false));
                    }
                });
        return true;
    }

    /** Gives a connection back after a transaction: kept for the next message, or closed. */
    public void release(Lease lease, DestinationPolicy policy) {
        SmtpConnection c = lease.connection();
        Key key = lease.key();
        if (!c.usable() || !gate.mayReuse(c.messagesSent(), policy)) {
            discard(key, c);
            return;
        }
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (w.key.equals(key)) {
                it.remove();
                w.future.complete(new Lease(key, c, true));
                return;
            }
        }
        idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(c);
    }

    private void discard(Key key, SmtpConnection c) {
        c.close();
        slotFreed(key.destination());
    }

    private void slotFreed(String destination) {
        open--;
        gate.connectionClosed(destination);
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (w.key.destination().equals(destination)) {
                it.remove();
                if (!tryAcquire(w.key, w.policy, w.future)) {
                    waiters.addFirst(w);
                }
                return;
            }
        }
    }

    /** Closes connections idle longer than the idle timeout, or already closed by the peer. */
    public void sweep() {
        long limit = System.nanoTime() - idleTimeout.toNanos();
        for (var e : idle.entrySet()) {
            for (Iterator<SmtpConnection> it = e.getValue().iterator(); it.hasNext();) {
                SmtpConnection c = it.next();
                if (!c.usable() || c.idleSince() - limit < 0) {
                    it.remove();
                    discard(e.getKey(), c);
                }
            }
        }
        idle.values().removeIf(Deque::isEmpty);
    }

    /** Closes every idle connection (shutdown). */
    public void closeAll() {
        idle.forEach((k, q) -> q.forEach(c -> discard(k, c)));
        idle.clear();
    }

    /** Connections open or opening, idle or busy: the {@code tern_delivery_connections_active} gauge. */
    public int open() {
        return open;
    }
}
