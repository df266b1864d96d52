package dev.tern.delivery.throttle;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.Rate;
import dev.tern.common.shaping.ConnectionLeases;
import dev.tern.common.shaping.RateLimiter;
import dev.tern.delivery.metrics.ShapingMetrics;
import dev.tern.smtp.reply.Reply;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * {@link DestinationGate} whose limits hold across every delivery pod (issue 6): rates from a
 * shared {@link RateLimiter}, connection caps as shared {@link ConnectionLeases}, pauses from an
 * {@link AdaptiveBackoff} — in production the {@code Fallback*} Infinispan implementations, which
 * switch to local limits of {@code global / live pods} while Infinispan is unreachable.
 *
 * <p><b>Round trips.</b> The gate answers the send path synchronously from per-key local state
 * and refills it asynchronously, with at most one rate request and one lease request in flight
 * per key on this pod (the limiter's "one acquiring caller per destination per pod"):
 * <ul>
 *   <li>rates: a request takes up to {@code waiting} tokens, or as many as this pod spent in
 *       the last burst window if that is more (at most one burst), into a local stock that
 *       messages then spend without a remote call; an unused stock is dropped after
 *       the burst window so it cannot add to a later burst. A partial grant's {@code retryAfter}
 *       holds further requests back;</li>
 *   <li>connections: a refused {@link #tryOpenConnection} starts a lease request; the lease is
 *       parked and {@link #onCapacity} listeners are told, so the pool retries its waiters. A
 *       parked lease nobody takes within a renew period is released.</li>
 * </ul>
 * Every held lease is renewed every {@code leaseTtl / 3}; a lease that cannot be renewed is
 * {@linkplain Slot#revoked() revoked}, and its connection closes after the current message.
 *
 * <p><b>Fair shares.</b> Leases go to whoever asks first, so a pod that starts sending first can
 * take every slot of a destination while another pod's mail for it waits. A refused request marks
 * the key wanted and, when the asker holds less than its fair share ({@code max-connections / live
 * pods}, rounded up), starved with the number it holds ({@link ConnectionLeases#tryAcquire}). Every
 * {@value #DEMAND_POLL_MILLIS} ms each pod reads the marks of the keys it holds (one request): for a
 * wanted key the pool closes idle connections early ({@link Slot#wanted()}); for each new starved
 * mark, a pod holding {@code n} more leases than the starved asker gives {@code n / 2} up, parked
 * ones at once and then connections after their current message ({@link Slot#surplus()}), so the
 * two end up even; and while the mark lasts it asks for no lease that would put it further ahead.
 * Only the asker's own count is needed, so stale pod counts cannot stop a pod giving way. Without
 * contention a pod may hold all of a key's slots.
 *
 * <p><b>Threading.</b> Thread-safe and non-blocking; backend completions run on their threads,
 * renewals on {@code timer}. {@link #close()} stops renewing and releases every lease.
 */
public final class SharedDestinationGate implements DestinationGate, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SharedDestinationGate.class);
    /** Pause after a failed or refused backend request before asking again. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * Pause after the backend refused a lease (every slot held) before asking again: slots free
     * up far less often than messages go, and each ask is a read of every slot of the key.
     */
    private static final long REFUSED_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** How often the demand marks of held keys are read. */
    static final long DEMAND_POLL_MILLIS = 1000;
    /** Wait suggested while a token request is in flight; its completion notifies the waiters anyway. */
    private static final Duration IN_FLIGHT_WAIT = Duration.ofMillis(50);

    private final RateLimiter rates;
    private final ConnectionLeases leases;
    private final AdaptiveBackoff backoff;
    private final Duration leaseTtl;
    private final long burstWindowNanos;
    private final ShapingMetrics metrics;
    private final IntSupplier livePods;
    private final ConcurrentHashMap<ShapingKey, KeyState> keys = new ConcurrentHashMap<>();
    private final Set<HeldLease> held = ConcurrentHashMap.newKeySet();
    private final List<Consumer<ShapingKey>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledFuture<?> renewal;
    private final ScheduledFuture<?> demandPoll;

    private static final class KeyState {
        final AtomicInteger stock = new AtomicInteger();
        volatile long stockExpires = System.nanoTime();
        volatile long tokensAt = System.nanoTime();
        final AtomicBoolean fetching = new AtomicBoolean();
        /** Tokens spent in the current burst window, and in the one before it: the demand estimate. */
        final AtomicInteger spentNow = new AtomicInteger();
        volatile int spentBefore;
        volatile long windowStart = System.nanoTime();
        final ConcurrentLinkedDeque<HeldLease> parked = new ConcurrentLinkedDeque<>();
        volatile long leasesAt = System.nanoTime();
        final AtomicBoolean acquiring = new AtomicBoolean();
        /** The key's {@code max-connections}, as last asked for. */
        volatile int max = 1;
        /**
         * Leases of this key held here (in use or parked), those of them giving way, and how many
         * more are still to give way to the latest starved mark (all under this).
         */
        int holding;
        int yielding;
        int toGive;
        /** The latest starved mark acted on. */
        String actedOn;
        /** Someone was refused a lease of this key lately (polled). */
        volatile boolean wanted;
        /** How many leases the latest starved asker held, or -1 without a starved mark (polled). */
        volatile int starvedHolds = -1;

        synchronized int holding() {
            return holding;
        }
    }

    /** @param livePods the delivery pods sharing the limits, this one included: the divisor of fair shares */
    public SharedDestinationGate(RateLimiter rates, ConnectionLeases leases, AdaptiveBackoff backoff,
            Duration leaseTtl, Duration burstWindow, ScheduledExecutorService timer, ShapingMetrics metrics,
            IntSupplier livePods) {
        this.rates = rates;
        this.leases = leases;
        this.backoff = backoff;
        this.leaseTtl = leaseTtl;
        this.burstWindowNanos = Math.max(1, burstWindow.toNanos());
        this.metrics = metrics;
        this.livePods = livePods;
        metrics.leasesHeld(this::leasesHeld);
        long period = Math.max(1, leaseTtl.toMillis() / 3);
        this.renewal = timer.scheduleAtFixedRate(this::renewAll, period, period, TimeUnit.MILLISECONDS);
        long poll = Math.min(period, DEMAND_POLL_MILLIS);
        this.demandPoll = timer.scheduleWithFixedDelay(this::pollDemand, poll, poll, TimeUnit.MILLISECONDS);
    }

    /** This pod's fair share of {@code st}'s slots: {@code max / live pods}, rounded up. */
    private int share(KeyState st) {
        int pods = Math.max(1, livePods.getAsInt());
        return (st.max + pods - 1) / pods;
    }

    private KeyState state(ShapingKey key) {
        return keys.computeIfAbsent(key, k -> new KeyState());
    }

    @Override
    public Optional<Slot> tryOpenConnection(ShapingKey key, DestinationPolicy policy) {
        if (!backoff.suspendedFor(key).isZero()) {
            return Optional.empty();
        }
        KeyState st = state(key);
        st.max = policy.maxConnections();
        Optional<Slot> parked = unpark(st);
        if (parked.isPresent()) {
            return parked;
        }
        int holding = st.holding();
        int starvedHolds = st.starvedHolds;
        if (starvedHolds >= 0 && holding > starvedHolds) {
            // A pod below its share, and below this one, waits for this key: leave it the next free slot.
            return Optional.empty();
        }
        long now = System.nanoTime();
        if (now - st.leasesAt >= 0 && st.acquiring.compareAndSet(false, true)) {
            OptionalInt starved = holding < share(st) ? OptionalInt.of(holding) : OptionalInt.empty();
            leases.tryAcquire(key.toString(), policy.maxConnections(), leaseTtl, starved).whenComplete((lease, error) -> {
                if (error == null && lease.isPresent()) {
                    HeldLease h = new HeldLease(key, st, lease.get());
                    held.add(h);
                    st.parked.add(h);
                    st.acquiring.set(false);
                    listeners.forEach(l -> l.accept(key));
                } else {
                    if (error != null) {
                        LOG.debugf("lease for %s failed: %s", key, error);
                    }
                    st.leasesAt = System.nanoTime() + (error != null ? RETRY_NANOS : REFUSED_RETRY_NANOS);
                    st.acquiring.set(false);
                }
            });
            // The local fallback answers synchronously.
            return unpark(st);
        }
        return Optional.empty();
    }

    private static Optional<Slot> unpark(KeyState st) {
        HeldLease h;
        while ((h = st.parked.pollFirst()) != null) {
            if (!h.revoked) {
                h.inUse = true;
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    @Override
    public Duration tryReserveMessage(ShapingKey key, DestinationPolicy policy, int waiting) {
        if (policy.rate() == null) {
            return backoff.suspendedFor(key);
        }
        Optional<Rate> rate = backoff.effectiveRate(key, policy.rate());
        if (rate.isEmpty()) {
            return backoff.suspendedFor(key);
        }
        KeyState st = state(key);
        if (take(st)) {
            return Duration.ZERO;
        }
        long now = System.nanoTime();
        if (now - st.tokensAt >= 0 && st.fetching.compareAndSet(false, true)) {
            // As many as are waiting, or as many as the last burst window used if more: a steady
            // flow then costs one request per window, not one per message that finds no queue.
            int wanted = Math.max(Math.max(1, waiting), st.spentBefore);
            rates.acquire(key.toString(), rate.get(), wanted).whenComplete((grant, error) -> {
                long at = System.nanoTime();
                if (error != null) {
                    LOG.debugf("rate tokens for %s failed: %s", key, error);
                    st.tokensAt = at + RETRY_NANOS;
                } else {
                    metrics.tokens(grant.granted(), wanted - grant.granted());
                    if (grant.granted() > 0) {
                        st.stockExpires = at + burstWindowNanos;
                        st.stock.addAndGet(grant.granted());
                    }
                    st.tokensAt = grant.granted() == wanted ? at : at + grant.retryAfter().toNanos();
                }
                st.fetching.set(false);
                if (error == null && grant.granted() > 0) {
                    listeners.forEach(l -> l.accept(key));
                }
            });
            if (take(st)) {
                return Duration.ZERO;
            }
        }
        long wait = st.fetching.get() ? IN_FLIGHT_WAIT.toNanos() : st.tokensAt - System.nanoTime();
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), wait));
    }

    @Override
    public void unreserveMessage(ShapingKey key, DestinationPolicy policy) {
        if (policy.rate() != null) {
            // Back into the local stock, which still ends with its burst window.
            state(key).stock.incrementAndGet();
        }
    }

    private boolean take(KeyState st) {
        long now = System.nanoTime();
        if (now - st.windowStart - burstWindowNanos > 0) {
            st.spentBefore = now - st.windowStart - 2 * burstWindowNanos > 0 ? 0 : st.spentNow.get();
            st.spentNow.set(0);
            st.windowStart = now;
        }
        if (now - st.stockExpires > 0) {
            st.stock.set(0);
            return false;
        }
        while (true) {
            int n = st.stock.get();
            if (n <= 0) {
                return false;
            }
            if (st.stock.compareAndSet(n, n - 1)) {
                st.spentNow.incrementAndGet();
                return true;
            }
        }
    }

    @Override
    public Duration suspendedFor(ShapingKey key) {
        return backoff.suspendedFor(key);
    }

    @Override
    public void replied(ShapingKey key, String destinationClass, DestinationPolicy policy, Reply reply) {
        backoff.remember(key, destinationClass);
        backoff.replied(key, destinationClass, policy, reply);
    }

    @Override
    public void connectFailed(ShapingKey key, String destinationClass, DestinationPolicy policy, Reply reply) {
        backoff.remember(key, destinationClass);
        backoff.connectFailed(key, destinationClass, policy, reply);
    }

    @Override
    public void onCapacity(Consumer<ShapingKey> listener) {
        listeners.add(listener);
    }

    /** Leases held by this pod, in use or parked: the {@code tern_delivery_leases_held} gauge. */
    public int leasesHeld() {
        return held.size();
    }

    private void renewAll() {
        for (HeldLease h : held) {
            if (!h.inUse && h.parkedRenewals++ >= 1 && h.state.parked.remove(h)) {
                // Nobody took it within a renew period: give the slot to another pod.
                h.release();
                continue;
            }
            h.lease.renew().whenComplete((ok, error) -> {
                if (error != null || !ok) {
                    LOG.infof("connection lease for %s lost (%s); closing after the current message",
                            h.lease.key(), error != null ? error : "expired");
                    h.revoked = true;
                    h.state.parked.remove(h);
                    h.gone();
                }
            });
        }
    }

    /**
     * Reads the demand marks of every key this pod holds leases of (one request); for a new
     * starved mark, works out how many leases to give up and gives parked ones up at once.
     */
    private void pollDemand() {
        Map<String, KeyState> holdingKeys = new HashMap<>();
        for (HeldLease h : held) {
            holdingKeys.putIfAbsent(h.key.toString(), h.state);
        }
        keys.forEach((key, st) -> {
            if (!holdingKeys.containsKey(key.toString())) {
                st.wanted = false;
                st.starvedHolds = -1;
            }
        });
        if (holdingKeys.isEmpty()) {
            return;
        }
        leases.demand(holdingKeys.keySet()).whenComplete((demand, error) -> {
            if (error != null) {
                LOG.debugf("reading demand marks failed: %s", error);
                return;
            }
            holdingKeys.forEach((key, st) -> {
                ConnectionLeases.Demand d = demand.getOrDefault(key, ConnectionLeases.Demand.NONE);
                st.wanted = d.wanted();
                st.starvedHolds = d.starved().orElse(-1);
                if (d.starved().isEmpty()) {
                    synchronized (st) {
                        st.toGive = 0;
                    }
                    return;
                }
                synchronized (st) {
                    if (d.mark().equals(st.actedOn)) {
                        return;
                    }
                    st.actedOn = d.mark();
                    // Even out with the asker, counting the connections still closing as its already.
                    st.toGive = Math.max(0, (st.holding - 2 * st.yielding - d.starved().getAsInt()) / 2);
                }
                while (true) {
                    HeldLease parked;
                    synchronized (st) {
                        if (st.toGive <= 0 || (parked = st.parked.pollLast()) == null) {
                            break;
                        }
                        st.toGive--;
                    }
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
        final KeyState state;
        final ConnectionLeases.Lease lease;
        final AtomicBoolean released = new AtomicBoolean();
        final AtomicBoolean counted = new AtomicBoolean(true);
        volatile boolean inUse;
        volatile boolean revoked;
        /** Chosen to give way to a starved pod (guarded by {@code state}). */
        boolean yielding;
        int parkedRenewals;

        HeldLease(ShapingKey key, KeyState state, ConnectionLeases.Lease lease) {
            this.key = key;
            this.state = state;
            this.lease = lease;
            synchronized (state) {
                state.holding++;
            }
        }

        /** No longer held: out of the renewals and of the key's count, once. */
        void gone() {
            held.remove(this);
            if (counted.compareAndSet(true, false)) {
                synchronized (state) {
                    state.holding--;
                    if (yielding) {
                        state.yielding--;
                    }
                }
            }
        }

        @Override
        public void release() {
            if (released.compareAndSet(false, true)) {
                gone();
                state.leasesAt = System.nanoTime();
                lease.release().whenComplete((v, error) -> {
                    if (error != null) {
                        LOG.debugf("releasing a lease for %s failed; it expires by its TTL: %s", lease.key(), error);
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
            return state.wanted;
        }

        @Override
        public boolean surplus() {
            synchronized (state) {
                if (!yielding && state.toGive > 0 && counted.get()) {
                    state.toGive--;
                    yielding = true;
                    state.yielding++;
                }
                return yielding;
            }
        }
    }
}
