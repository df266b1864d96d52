package dev.tern.common.shaping;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link ConnectionLeases} within one JVM: per key, a map of lease id to expiry, pruned of
 * expired leases on every change. Used by unit tests and as the local fallback.
 *
 * <p>All changes to one key run under the concurrent map's per-key lock, so the count check and
 * the insertion are atomic. Empty keys are removed. Thread-safe; stages are complete when
 * returned; never fails except on bad arguments.
 */
public final class InMemoryConnectionLeases implements ConnectionLeases {

    private final ConcurrentHashMap<String, Map<Long, Long>> holders = new ConcurrentHashMap<>();
    /** Per key: until when wanted, until when starved (epoch millis), the starved asker's count, the mark's id. */
    private final ConcurrentHashMap<String, long[]> marks = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;

    public InMemoryConnectionLeases(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<Optional<Lease>> tryAcquire(String key, int max, Duration ttl, OptionalInt starved) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        long id = ids.incrementAndGet();
        boolean[] won = new boolean[1];
        holders.compute(key, (k, leases) -> {
            Map<Long, Long> live = pruned(leases);
            if (live.size() < max) {
                live.put(id, now() + ttl.toMillis());
                won[0] = true;
            }
            return live.isEmpty() ? null : live;
        });
        if (!won[0]) {
            long until = now() + Math.min(ttl.toMillis(), MARK_LIFESPAN.toMillis());
            marks.compute(key, (k, m) -> {
                long[] next = m == null ? new long[4] : m;
                next[0] = until;
                if (starved.isPresent()) {
                    next[1] = until;
                    next[2] = starved.getAsInt();
                    next[3] = ids.incrementAndGet();
                }
                return next;
            });
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.completedFuture(Optional.of(new MemoryLease(key, id, ttl)));
    }

    @Override
    public CompletionStage<Map<String, Demand>> demand(Collection<String> keys) {
        long now = now();
        Map<String, Demand> out = new HashMap<>();
        for (String key : keys) {
            long[] m = marks.get(key);
            if (m != null && m[0] > now) {
                boolean starved = m[1] > now;
                out.put(key, new Demand(true, starved ? OptionalInt.of((int) m[2]) : OptionalInt.empty(),
                        starved ? Long.toString(m[3]) : null));
            }
        }
        return CompletableFuture.completedFuture(out);
    }

    private Map<Long, Long> pruned(Map<Long, Long> leases) {
        Map<Long, Long> live = leases == null ? new HashMap<>() : leases;
        long now = now();
        live.values().removeIf(expiry -> expiry <= now);
        return live;
    }

    private long now() {
        return clock.millis();
    }

    private final class MemoryLease implements Lease {

        private final String key;
        private final long id;
        private final Duration ttl;

        MemoryLease(String key, long id, Duration ttl) {
            this.key = key;
            this.id = id;
            this.ttl = ttl;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public CompletionStage<Boolean> renew() {
            boolean[] held = new boolean[1];
            holders.computeIfPresent(key, (k, leases) -> {
                Map<Long, Long> live = pruned(leases);
                if (live.containsKey(id)) {
                    live.put(id, now() + ttl.toMillis());
                    held[0] = true;
                }
                return live.isEmpty() ? null : live;
            });
            return CompletableFuture.completedFuture(held[0]);
        }

        @Override
        public CompletionStage<Void> release() {
            holders.computeIfPresent(key, (k, leases) -> {
                leases.remove(id);
                return leases.isEmpty() ? null : leases;
            });
            return CompletableFuture.completedFuture(null);
        }
    }
}
