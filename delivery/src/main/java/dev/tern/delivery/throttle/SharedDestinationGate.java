package dev.tern.delivery.throttle;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.Rate;
import dev.tern.common.shaping.ConnectionLeases;
import dev.tern.common.shaping.RateLimiter;
import dev.tern.delivery.metrics.ShapingMetrics;
import dev.tern.smtp.reply.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * {@linkplain Slot#revoked() revoked}, and its connection closes after the current message. With
 * the renewals, one request per key asks whether the key is {@linkplain Slot#wanted() wanted}
 * elsewhere, so the pool closes idle connections whose lease another pod is waiting for.
 *
 * <p><b>Threading.</b> Thread-safe and non-blocking; backend completions run on their threads,
 * renewals on {@code timer}. {@link #close()} stops renewing and releases every lease.
 */
public final class SharedDestinationGate implements DestinationGate, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SharedDestinationGate.class);
    /** Pause after a failed or refused backend request before asking again. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Wait suggested while a token request is in flight; its completion notifies the waiters anyway. */
    private static final Duration IN_FLIGHT_WAIT = Duration.ofMillis(50);

    private final RateLimiter rates;
    private final ConnectionLeases leases;
    private final AdaptiveBackoff backoff;
    private final Duration leaseTtl;
    private final long burstWindowNanos;
    private final ShapingMetrics metrics;
    private final ConcurrentHashMap<String, KeyState> keys = new ConcurrentHashMap<>();
    private final Set<HeldLease> held = ConcurrentHashMap.newKeySet();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledFuture<?> renewal;

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
        /** Someone was refused a lease of this key lately (refreshed with the renewals). */
        volatile boolean wanted;
    }

    public SharedDestinationGate(RateLimiter rates, ConnectionLeases leases, AdaptiveBackoff backoff,
            Duration leaseTtl, Duration burstWindow, ScheduledExecutorService timer, ShapingMetrics metrics) {
        this.rates = rates;
        this.leases = leases;
        this.backoff = backoff;
        this.leaseTtl = leaseTtl;
        this.burstWindowNanos = Math.max(1, burstWindow.toNanos());
        this.metrics = metrics;
        metrics.leasesHeld(this::leasesHeld);
        long period = Math.max(1, leaseTtl.toMillis() / 3);
        this.renewal = timer.scheduleAtFixedRate(this::renewAll, period, period, TimeUnit.MILLISECONDS);
    }

    private KeyState state(String key) {
        return keys.computeIfAbsent(key, k -> new KeyState());
    }

    @Override
    public Optional<Slot> tryOpenConnection(String key, DestinationPolicy policy) {
        if (!backoff.suspendedFor(key).isZero()) {
            return Optional.empty();
        }
        KeyState st = state(key);
        Optional<Slot> parked = unpark(st);
        if (parked.isPresent()) {
            return parked;
        }
        long now = System.nanoTime();
        if (now - st.leasesAt >= 0 && st.acquiring.compareAndSet(false, true)) {
            leases.tryAcquire(key, policy.maxConnections(), leaseTtl).whenComplete((lease, error) -> {
                if (error == null && lease.isPresent()) {
                    HeldLease h = new HeldLease(st, lease.get());
                    held.add(h);
                    st.parked.add(h);
                    st.acquiring.set(false);
                    listeners.forEach(l -> l.accept(key));
                } else {
                    if (error != null) {
                        LOG.debugf("lease for %s failed: %s", key, error);
                    }
                    st.leasesAt = System.nanoTime() + RETRY_NANOS;
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
    public Duration tryReserveMessage(String key, DestinationPolicy policy, int waiting) {
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
            rates.acquire(key, rate.get(), wanted).whenComplete((grant, error) -> {
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
    public void unreserveMessage(String key, DestinationPolicy policy) {
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
    public Duration suspendedFor(String key) {
        return backoff.suspendedFor(key);
    }

    @Override
    public void replied(String key, String destinationClass, DestinationPolicy policy, Reply reply) {
        backoff.remember(key, destinationClass);
        backoff.replied(key, destinationClass, policy, reply);
    }

    @Override
    public void connectFailed(String key, String destinationClass, DestinationPolicy policy, Reply reply) {
        backoff.remember(key, destinationClass);
        backoff.connectFailed(key, destinationClass, policy, reply);
    }

    @Override
    public void onCapacity(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Leases held by this pod, in use or parked: the {@code tern_delivery_leases_held} gauge. */
    public int leasesHeld() {
        return held.size();
    }

    private void renewAll() {
        Set<KeyState> polled = new java.util.HashSet<>();
        for (HeldLease h : held) {
            if (polled.add(h.state)) {
                leases.wanted(h.lease.key()).whenComplete((wanted, error) -> h.state.wanted = error == null && wanted);
            }
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
                    held.remove(h);
                }
            });
        }
    }

    @Override
    public void close() {
        renewal.cancel(false);
        held.forEach(HeldLease::release);
    }

    /** One shared lease, parked until a connection takes it, then that connection's slot. */
    private final class HeldLease implements Slot {

        final KeyState state;
        final ConnectionLeases.Lease lease;
        final AtomicBoolean released = new AtomicBoolean();
        volatile boolean inUse;
        volatile boolean revoked;
        int parkedRenewals;

        HeldLease(KeyState state, ConnectionLeases.Lease lease) {
            this.state = state;
            this.lease = lease;
        }

        @Override
        public void release() {
            if (released.compareAndSet(false, true)) {
                held.remove(this);
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
    }
}
