package dev.tern.delivery.client;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.EgressSource;
import dev.tern.delivery.route.NextHop;
import dev.tern.delivery.throttle.DestinationGate;
import dev.tern.delivery.throttle.ShapingKey;
import dev.tern.smtp.client.HandshakeConfig;
import dev.tern.smtp.reply.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Open SMTP/LMTP connections kept for reuse, per {@link Key} (destination, host, port, TLS policy,
 * protocol, egress address): the next message to the same place skips TCP, greeting, EHLO and
 * STARTTLS.
 *
 * <p>Limits come from the {@link DestinationGate}, per shaping key ({@link Key#shaping()}): a new
 * connection needs a {@link DestinationGate.Slot} of the key's {@code max-connections}, held for the
 * connection's life; a connection goes back to the pool only while it may carry more messages
 * ({@code max-messages-per-connection}) and its slot was not revoked (a lost cluster lease),
 * otherwise it says QUIT. When no slot is free the caller waits in a FIFO queue until a connection
 * comes back or a slot frees up, at most {@code maxWait}, and at most {@code maxWaiting} callers per
 * shaping key; past either bound the acquire fails with a transient {@code 451 4.7.0} (the message
 * goes to a retry tier rather than waiting in memory without bound). Slots freed on other pods are
 * noticed through {@link DestinationGate#onCapacity} and a retry of the waiters every
 * {@value #RETRY_MILLIS} ms.
 *
 * <p><b>Egress addresses</b> are chosen by {@link EgressChoice}: the turn's address reuses one of
 * its idle connections or opens one, and the next address is tried only when that one is at its
 * limit. When the destination grants a slot but no address can use it, the slot is given back
 * unused and the caller waits. With {@code per-source}, the destination's own connection cap and
 * rate are kept per address ({@link Key#limitKey}): each address asks for its own destination
 * slot, an address at its cap passes the message to the next, and an address the destination told
 * to slow down backs off alone (its replies are reported under its key).
 *
 * <p><b>Idle connections</b> are closed after {@code idleTimeout} by {@link #sweep()}, or already
 * after {@code contendedIdleTimeout} when someone else was refused a slot of their key (their
 * cluster lease is better spent on a pod that has mail for the destination). A connection whose
 * slot is {@linkplain DestinationGate.Slot#surplus() surplus} (another pod is starved of the key
 * while this one holds more than its fair share) is closed when it is next released or found idle.
 *
 * <p>Threading: all methods run on the single delivery Vert.x context ({@code loop}); nothing here
 * is locked.
 */
public final class ConnectionPool {

    /**
     * What makes two connections interchangeable: same next hop, handshake and egress address
     * ({@code sourceIp} null for the system's choice), so a pooled connection is only reused
     * for mail that could have opened it. Callers pass {@code sourceIp} null; the pool fills it
     * from the destination's egress addresses.
     */
    public record Key(String destination, ShapingKey shaping, NextHop hop, HandshakeConfig handshake, String sourceIp) {

        public Key withSource(String address) {
            return new Key(destination, shaping, hop, handshake, address);
        }

        /**
         * Where this connection's destination limits are kept: {@link #shaping()}, or per egress
         * address ({@link ShapingKey#from}) when the policy says {@code per-source}.
         */
        public ShapingKey limitKey(DestinationPolicy policy) {
            return policy.perSource() && sourceIp != null ? shaping.from(sourceIp) : shaping;
        }
    }

    /**
     * A connection handed out by {@link #acquire}; {@code reused} when it had carried mail before;
     * {@code sourceToken} when the pool already took the egress address's rate token for the
     * message ({@link EgressChoice}), so the sender must not take another.
     */
    public record Lease(Key key, OutboundConnection connection, boolean reused, boolean sourceToken) {

        Lease(Key key, OutboundConnection connection, boolean reused) {
            this(key, connection, reused, false);
        }
    }

    /** How often waiters ask the gate again for slots that another pod may have freed. */
    public static final long RETRY_MILLIS = 100;

    private final Vertx vertx;
    private final Executor loop;
    private final NetClients clients;
    private final DestinationGate gate;
    private final Duration idleTimeout;
    private final Duration contendedIdleTimeout;
    private final Duration maxWait;
    private final int maxWaiting;
    private final Map<Key, Deque<OutboundConnection>> idle = new HashMap<>();
    private final Map<OutboundConnection, DestinationGate.Slot> slots = new HashMap<>();
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private final EgressChoice egress;
    private volatile int open;

    public ConnectionPool(Vertx vertx, Executor loop, NetClients clients, DestinationGate gate,
            Duration idleTimeout, Duration contendedIdleTimeout, Duration maxWait, int maxWaiting) {
        this.vertx = vertx;
        this.loop = loop;
        this.clients = clients;
        this.gate = gate;
        this.idleTimeout = idleTimeout;
        this.contendedIdleTimeout = contendedIdleTimeout.compareTo(idleTimeout) < 0 ? contendedIdleTimeout
                : idleTimeout;
        this.maxWait = maxWait;
        this.maxWaiting = maxWaiting;
        this.egress = new EgressChoice(gate);
        gate.onCapacity(shaping -> loop.execute(() -> retryWaiters(shaping)));
    }

    /** An idle connection for {@code key}, or a new one; fails with {@link ConnectFailure}. */
    public CompletableFuture<Lease> acquire(Key key, DestinationPolicy policy) {
        var future = new CompletableFuture<Lease>();
        if (!gate.suspendedFor(key.shaping()).isZero()) {
            future.completeExceptionally(backingOff(key));
            return future;
        }
        if (!tryAcquire(key, policy, future)) {
            if (waiting(key.shaping()) >= maxWaiting) {
                future.completeExceptionally(new ConnectFailure(ConnectFailure.Kind.THROTTLED, Reply.of(451, "4.7.0",
                        "Throttled: too many messages waiting for " + key.destination())));
                return future;
            }
            var w = new Waiter(key, policy, future);
            waiters.add(w);
            vertx.setTimer(Math.max(1, maxWait.toMillis()), id -> {
                if (waiters.remove(w)) {
                    w.future().completeExceptionally(new ConnectFailure(ConnectFailure.Kind.THROTTLED, Reply.of(451, "4.7.0",
                            "Throttled: no connection to " + key.destination() + " free within " + maxWait)));
                }
            });
        }
        return future;
    }

    /**
     * Takes the first candidate address (in turn) that has an idle connection, or gets slots for
     * a new one, in the passes {@link EgressChoice#passes} gives; the destination's slot is asked
     * for at most once per pass and given back unused when no address can take it.
     */
    private boolean tryAcquire(Key key, DestinationPolicy policy, CompletableFuture<Lease> future) {
        List<Key> candidates = egress.candidates(key, policy);
        if (policy.perSource()) {
            // An address the destination told to slow down (421, 4.7.x) backs off alone: use the others.
            candidates = candidates.stream().filter(k -> !backsOffAlone(k, policy)).toList();
            if (candidates.isEmpty()) {
                future.completeExceptionally(backingOff(key));
                return true;
            }
        }
        for (boolean withToken : EgressChoice.passes(policy, candidates.size())) {
            if (tryAcquire(key, policy, candidates, withToken, future)) {
                return true;
            }
        }
        return false;
    }

    private boolean tryAcquire(Key key, DestinationPolicy policy, List<Key> candidates, boolean withToken,
            CompletableFuture<Lease> future) {
        DestinationGate.Slot destination = null;
        boolean refused = false;
        for (Key k : candidates) {
            EgressSource source = EgressChoice.sourceOf(policy, k.sourceIp());
            EgressChoice.Token token = egress.token(source, withToken);
            if (token == EgressChoice.Token.REFUSED) {
                continue;
            }
            if (hasIdle(k)) {
                future.complete(new Lease(k, idle.get(k).pollFirst(), true, token == EgressChoice.Token.TAKEN));
                if (destination != null) {
                    destination.unused();
                }
                return true;
            }
            DestinationGate.Slot slot;
            if (policy.perSource()) {
                // Each address has the destination's limits to itself: its own slot, or the next address.
                slot = gate.tryOpenConnection(k.limitKey(policy), policy).orElse(null);
            } else {
                if (!refused && destination == null) {
                    var granted = gate.tryOpenConnection(key.shaping(), policy);
                    refused = granted.isEmpty();
                    destination = granted.orElse(null);
                }
                slot = destination;
            }
            if (slot != null) {
                DestinationGate.Slot forDestination = slot;
                slot = egress.withSourceSlot(forDestination, source);
                if (slot == null && policy.perSource()) {
                    forDestination.unused();
                }
            }
            if (slot == null) {
                if (token == EgressChoice.Token.TAKEN) {
                    egress.giveBack(source);
                }
                continue;
            }
            open(k, slot, policy, token == EgressChoice.Token.TAKEN, future);
            return true;
        }
        if (destination != null) {
            destination.unused();
        }
        return false;
    }

    /** Whether {@code k} has a usable idle connection at the head of its queue; drops dead ones. */
    private boolean hasIdle(Key k) {
        Deque<OutboundConnection> q = idle.get(k);
        while (q != null && !q.isEmpty()) {
            OutboundConnection c = q.peekFirst();
            DestinationGate.Slot slot = slots.get(c);
            if (c.usable() && slot != null && !slot.revoked()) {
                return true;
            }
            discard(k, q.pollFirst());
        }
        return false;
    }

    private void open(Key key, DestinationGate.Slot slot, DestinationPolicy policy, boolean sourceToken,
            CompletableFuture<Lease> future) {
        open++;
        NetClient client = clients.client(key.handshake().tlsPolicy() == dev.tern.smtp.client.TlsPolicy.REQUIRED,
                key.sourceIp());
        OutboundConnection.open(vertx, client, key.hop(), key.handshake(), Timeouts.of(policy))
                .whenComplete((c, error) -> {
                    if (error != null) {
                        slotFreed(key.shaping(), slot);
                        future.completeExceptionally(error);
                    } else {
                        slots.put(c, slot);
                        future.complete(new Lease(key, c, false, sourceToken));
                    }
                });
    }

    /** Gives a connection back after a transaction: kept for the next message, or closed. */
    public void release(Lease lease, DestinationPolicy policy) {
        OutboundConnection c = lease.connection();
        Key key = lease.key();
        DestinationGate.Slot slot = slots.get(c);
        if (!c.usable() || !gate.mayReuse(c.messagesSent(), policy) || slot == null || slot.revoked()
                || slot.surplus()) {
            discard(key, c);
            return;
        }
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (!w.accepts(key) || backsOffAlone(key, w.policy())) {
                // An address told to slow down (per-source) must not carry a waiter's mail: the
                // waiter asked for another address, and waits for its slot instead.
                continue;
            }
            EgressChoice.Token token = egress.handOnToken(w.policy(), key.sourceIp());
            if (token == EgressChoice.Token.REFUSED) {
                continue;
            }
            it.remove();
            w.future().complete(new Lease(key, c, true, token == EgressChoice.Token.TAKEN));
            return;
        }
        idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(c);
    }

    private boolean backsOffAlone(Key key, DestinationPolicy policy) {
        return policy.perSource() && !gate.suspendedFor(key.limitKey(policy)).isZero();
    }

    private void discard(Key key, OutboundConnection c) {
        DestinationGate.Slot slot = slots.remove(c);
        // The slot is given back once the server has seen the connection end, not before.
        c.close().whenComplete((v, e) -> loop.execute(() -> slotFreed(key.shaping(), slot)));
    }

    private void slotFreed(ShapingKey shaping, DestinationGate.Slot slot) {
        open--;
        if (slot != null) {
            slot.release();
        }
        retryWaiters(shaping);
    }

    private static ConnectFailure backingOff(Key key) {
        return new ConnectFailure(ConnectFailure.Kind.THROTTLED,
                Reply.of(451, "4.7.0", "Throttled: " + key.destination() + " backs off"));
    }

    /**
     * Serves the waiters that {@code shaping} (a destination's or an egress address's key) may let
     * go, in order, until one finds no connection; when the destination backs off, fails its
     * waiters at once rather than at the end of their wait.
     */
    private void retryWaiters(ShapingKey shaping) {
        if (!gate.suspendedFor(shaping).isZero()) {
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
                Waiter w = it.next();
                if (w.key().shaping().equals(shaping)) {
                    it.remove();
                    w.future().completeExceptionally(backingOff(w.key()));
                }
            }
            return;
        }
        while (true) {
            Waiter first = null;
            for (Waiter w : waiters) {
                if (w.involves(shaping)) {
                    first = w;
                    break;
                }
            }
            if (first == null) {
                return;
            }
            waiters.remove(first);
            if (!tryAcquire(first.key(), first.policy(), first.future())) {
                waiters.addFirst(first);
                return;
            }
        }
    }
    /** Asks the gate again for the first waiter of every shaping key (slots freed on other pods). */
    public void retryWaiters() {
        Set<ShapingKey> asked = new HashSet<>();
        for (Waiter w : waiters.toArray(Waiter[]::new)) {
            if (asked.add(w.key().shaping())) {
                retryWaiters(w.key().shaping());
            }
        }
    }

    private int waiting(ShapingKey shaping) {
        int n = 0;
        for (Waiter w : waiters) {
            if (w.key().shaping().equals(shaping)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Closes connections idle longer than the idle timeout (or the contended idle timeout, when
     * their slot is wanted elsewhere), surplus ones, and those already closed by the peer.
     */
    public void sweep() {
        long now = System.nanoTime();
        long limit = now - idleTimeout.toNanos();
        long contendedLimit = now - contendedIdleTimeout.toNanos();
        for (var e : idle.entrySet()) {
            for (Iterator<OutboundConnection> it = e.getValue().iterator(); it.hasNext();) {
                OutboundConnection c = it.next();
                DestinationGate.Slot slot = slots.get(c);
                boolean contended = slot != null && (slot.surplus()
                        || slot.wanted() && c.idleSince() - contendedLimit < 0);
                if (!c.usable() || c.idleSince() - limit < 0 || contended) {
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
