package dev.tern.delivery.throttle;

import dev.tern.common.shaping.ConnectionLeases;
import dev.tern.delivery.throttle.DestinationGate.Slot;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The connection leases this pod holds per shaping key ({@link ConnectionLeases}), as the
 * {@link Slot}s of its connections.
 *
 * <p>A refused {@link #tryOpen} starts one asynchronous lease request per key; the lease is
 * parked and {@code leased} is told, so the pool retries its waiters. A parked lease nobody
 * takes within a renew period is released. Every held lease is renewed every {@code leaseTtl / 3};
 * one that cannot be renewed is {@linkplain Slot#revoked() revoked}, and its connection closes
 * after the current message.
 *
 * <p>Every {@value #DEMAND_POLL_MILLIS} ms (at most a renew period) the demand marks of the keys
 * held here are read in one request and handed to each key's {@link FairShare}: parked leases it
 * gives up are released at once, leases in use give way after their current message
 * ({@link Slot#surplus()}), and idle connections of a wanted key close early ({@link Slot#wanted()}).
 *
 * <p>Thread-safe and non-blocking; backend completions run on their threads, renewals and polls
 * on {@code timer}. {@link #close()} stops both and releases every lease.
 */
final class LeaseKeeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);
    /** Pause after a failed backend request before asking again. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * Pause after the backend refused a lease (every slot held) before asking again: slots free
     * up far less often than messages go, and each ask is a read of every slot of the key.
     */
    private static final long REFUSED_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** How often the demand marks of held keys are read. */
    static final long DEMAND_POLL_MILLIS = 1000;

    private final ConnectionLeases leases;
    private final Duration leaseTtl;
    private final IntSupplier livePods;
    private final Consumer<ShapingKey> leased;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<ShapingKey, KeyLeases> keys = new ConcurrentHashMap<>();
    private final Set<HeldLease> held = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> renewal;
    private final ScheduledFuture<?> demandPoll;

    private static final class KeyLeases {
        final ConcurrentLinkedDeque<HeldLease> parked = new ConcurrentLinkedDeque<>();
        final FairShare share = new FairShare();
        /** Before this time no request is made (a refusal's or a failure's pause). */
        volatile long askAt;
        final AtomicBoolean acquiring = new AtomicBoolean();

        KeyLeases(long now) {
            askAt = now;
        }
    }

    /**
     * @param livePods the delivery pods sharing the limits, this one included: the divisor of fair shares
     * @param leased told (on a backend thread) when a lease was parked for a key
     */
    LeaseKeeper(ConnectionLeases leases, Duration leaseTtl, ScheduledExecutorService timer, IntSupplier livePods,
            Consumer<ShapingKey> leased, LongSupplier nanoTime) {
        this.leases = leases;
        this.leaseTtl = leaseTtl;
        this.livePods = livePods;
        this.leased = leased;
        this.nanoTime = nanoTime;
        long period = Math.max(1, leaseTtl.toMillis() / 3);
        this.renewal = timer.scheduleAtFixedRate(this::renewAll, period, period, TimeUnit.MILLISECONDS);
        long poll = Math.min(period, DEMAND_POLL_MILLIS);
        this.demandPoll = timer.scheduleWithFixedDelay(this::pollDemand, poll, poll, TimeUnit.MILLISECONDS);
    }

    /** A parked lease of {@code key}, or empty while a new one is asked for (or may not be). */
    Optional<Slot> tryOpen(ShapingKey key, int maxConnections) {
        KeyLeases st = keys.computeIfAbsent(key, k -> new KeyLeases(nanoTime.getAsLong()));
        st.share.max(maxConnections);
        Optional<Slot> parked = unpark(st);
        if (parked.isPresent() || !st.share.mayAsk()) {
            return parked;
        }
        if (nanoTime.getAsLong() - st.askAt >= 0 && st.acquiring.compareAndSet(false, true)) {
            leases.tryAcquire(key.toString(), maxConnections, leaseTtl, st.share.starved(livePods.getAsInt()))
                    .whenComplete((lease, error) -> {
                        if (error == null && lease.isPresent()) {
                            HeldLease h = new HeldLease(key, st, lease.get());
                            held.add(h);
                            st.parked.add(h);
                            st.acquiring.set(false);
                            leased.accept(key);
                        } else {
                            if (error != null) {
                                LOG.debugf("lease for %s failed: %s", key, error);
                            }
                            st.askAt = nanoTime.getAsLong() + (error != null ? RETRY_NANOS : REFUSED_RETRY_NANOS);
                            st.acquiring.set(false);
                        }
                    });
            // The local fallback answers synchronously.
            return unpark(st);
        }
        return Optional.empty();
    }

    private static Optional<Slot> unpark(KeyLeases st) {
        HeldLease h;
        while ((h = st.parked.pollFirst()) != null) {
            if (!h.revoked) {
                h.inUse = true;
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    /** Leases held here, in use or parked. */
    int held() {
        return held.size();
    }

    /** Renews every held lease, and releases those parked a whole renew period. */
    void renewAll() {
        for (HeldLease h : held) {
            if (!h.inUse && h.parkedRenewals++ >= 1 && h.state.parked.remove(h)) {
                // Nobody took it within a renew period: give the slot to another pod.
                h.release();
                continue;
            }
            h.lease.renew().whenComplete((ok, error) -> {
                if (error != null || !ok) {
                    LOG.infof("connection lease for %s lost (%s); closing after the current message",
                            h.key, error != null ? error : "expired");
                    h.revoked = true;
                    h.state.parked.remove(h);
                    h.gone();
                }
            });
        }
    }

    /** Reads the demand marks of every key held here (one request) into the keys' fair shares. */
    void pollDemand() {
        Map<String, KeyLeases> holding = new HashMap<>();
        for (HeldLease h : held) {
            holding.putIfAbsent(h.key.toString(), h.state);
        }
        keys.forEach((key, st) -> {
            if (!holding.containsKey(key.toString())) {
                st.share.forget();
            }
        });
        if (holding.isEmpty()) {
            return;
        }
        leases.demand(holding.keySet()).whenComplete((demand, error) -> {
            if (error != null) {
                LOG.debugf("reading demand marks failed: %s", error);
                return;
            }
            holding.forEach((key, st) -> {
                st.share.demand(demand.getOrDefault(key, ConnectionLeases.Demand.NONE));
                HeldLease parked;
                while ((parked = st.share.giveOne(st.parked::pollLast)) != null) {
                    parked.release();
                }
            });
        });
    }

    @Override
    public void close() {
        renewal.cancel(false);
        demandPoll.cancel(false);
        held.forEach(HeldLease::release);
    }

    /** One shared lease, parked until a connection takes it, then that connection's slot. */
    private final class HeldLease implements Slot {

        final ShapingKey key;
        final KeyLeases state;
        final ConnectionLeases.Lease lease;
        final FairShare.Member member;
        final AtomicBoolean released = new AtomicBoolean();
        volatile boolean inUse;
        volatile boolean revoked;
        int parkedRenewals;

        HeldLease(ShapingKey key, KeyLeases state, ConnectionLeases.Lease lease) {
            this.key = key;
            this.state = state;
            this.lease = lease;
            this.member = state.share.join();
        }

        /** No longer held: out of the renewals and of the key's count, once. */
        void gone() {
            held.remove(this);
            state.share.leave(member);
        }

        @Override
        public void release() {
            if (released.compareAndSet(false, true)) {
                gone();
                state.askAt = nanoTime.getAsLong();
                lease.release().whenComplete((v, error) -> {
                    if (error != null) {
                        LOG.debugf("releasing a lease for %s failed; it expires by its TTL: %s", key, error);
                    }
                });
            }
        }

        @Override
        public boolean revoked() {
            return revoked;
        }

        @Override
        public void unused() {
            if (!released.get() && !revoked) {
                inUse = false;
                parkedRenewals = 0;
                state.parked.addFirst(this);
            }
        }

        @Override
        public boolean wanted() {
            return state.share.wanted();
        }

        @Override
        public boolean surplus() {
            return state.share.surplus(member);
        }
    }
}
