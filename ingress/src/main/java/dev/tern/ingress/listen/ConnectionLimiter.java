package dev.tern.ingress.listen;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-pod cap on concurrent SMTP sessions, globally and per client IP. A refused connection gets
 * {@code 421 4.7.0} and is closed before any protocol work. Thread-safe.
 */
public final class ConnectionLimiter {

    /** Why a connection was refused; the label of {@code tern_ingress_connections_refused_total}. */
    public enum Refusal { TOTAL, PER_IP, DRAINING }

    private final int maxTotal;
    private final int maxPerIp;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perIp = new ConcurrentHashMap<>();
    private volatile boolean draining;

    public ConnectionLimiter(int maxTotal, int maxPerIp) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
    }

    /** Claims a slot for {@code ip}; returns null on success, else why not. Pair with {@link #release}. */
    public Refusal acquire(String ip) {
        return acquire(ip, false);
    }

    /**
     * As {@link #acquire(String)}; {@code exemptPerIp} skips the per-IP cap (not the total) for
     * trusted networks, as Postfix's {@code smtpd_client_event_limit_exceptions = $mynetworks}
     * does: an internal relay or load generator legitimately opens many sessions.
     */
    public Refusal acquire(String ip, boolean exemptPerIp) {
        if (draining) {
            return Refusal.DRAINING;
        }
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Refusal.TOTAL;
        }
        boolean[] refused = {false};
        perIp.compute(ip, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= maxPerIp && !exemptPerIp) {
                refused[0] = true;
                return n;
            }
            return now + 1;
        });
        if (refused[0]) {
            total.decrementAndGet();
            return Refusal.PER_IP;
        }
        return null;
    }

    public void release(String ip) {
        perIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
        total.decrementAndGet();
    }

    public int active() {
        return total.get();
    }

    /** From now on every new connection is refused (SIGTERM drain). */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }
}
