package dev.tern.common.shaping;

import dev.tern.common.infinispan.ServerCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.infinispan.client.hotrod.Flag;
import org.infinispan.client.hotrod.RemoteCacheManager;

/**
 * {@link ConnectionLeases} shared by every pod through one Infinispan cache: one entry per
 * <em>slot</em>, {@code <key>#0} … {@code <key>#<max−1>}, whose value names the holder and whose
 * Hot Rod lifespan is the lease TTL.
 *
 * <p><b>Why slots rather than one map of holder → expiry per key</b> (the shape of KumoMTA's
 * Redis lease script, a sorted set pruned on every acquire): without server-side scripts a map
 * would be rewritten by compare-and-set on every acquire, renew and release, so every connection
 * to a busy destination would contend on one entry, and expired holders would have to be pruned
 * by whoever writes next. With slots, the server's own expiration frees a dead holder's slot, a
 * claim is one atomic {@code putIfAbsent} that cannot exceed {@code max} (there are only
 * {@code max} slot names), and contention spreads over {@code max} entries.
 *
 * <p><b>Cost.</b> Acquire: one {@code getAll} over the slot names to find free ones, then a
 * {@code putIfAbsent} on a randomly chosen free slot (random, so pods racing for the same key
 * rarely pick the same slot); a lost claim tries the next free slot, up to
 * {@value #MAX_CLAIMS} claims, then gives up as "full". Renew and release: {@code getWithMetadata}
 * then {@code replaceWithVersion} / {@code removeWithVersion}, so a holder never extends or frees a
 * slot that expired and was taken by someone else.
 *
 * <p><b>Demand marks.</b> A refused claim writes {@code <key>#wanted} (and {@code <key>#starved},
 * valued {@code "<leases the asker holds> <owner> <unique id>"}, when the asker is below its fair
 * share) with a lifespan of at most {@link #MARK_LIFESPAN}, at most once per third of that per
 * mark from this instance, so a waiting pod costs the backend a write a second, not one per retry;
 * {@link #demand} is one {@code getAll} for all the keys a pod holds.
 *
 * <p><b>Threading and failure.</b> Thread-safe and non-blocking. Hot Rod errors complete the
 * stages exceptionally; a lease whose release fails simply expires after its TTL.
 */
public final class InfinispanConnectionLeases implements ConnectionLeases {

    /** Default cache name; one per installation. */
    public static final String CACHE = "tern-shaping-leases";

    static final int MAX_CLAIMS = 4;
    private static final String WANTED = "#wanted";
    private static final String STARVED = "#starved";

    private final ServerCache cache;
    private final String owner;
    private final ConcurrentHashMap<String, Long> markedAt = new ConcurrentHashMap<>();

    /**
     * @param owner names the holder in the slot's value (pod name), for operators reading the
     *     cache; a random suffix keeps each lease distinct
     */
    public InfinispanConnectionLeases(RemoteCacheManager manager, String cacheName, String owner) {
        this.cache = new ServerCache(manager, cacheName);
        this.owner = owner;
    }

    @Override
    public CompletionStage<Optional<Lease>> tryAcquire(String key, int max, Duration ttl, OptionalInt starved) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        Set<String> slots = new LinkedHashSet<>();
        for (int i = 0; i < max; i++) {
            slots.add(key + "#" + i);
        }
        return cache.call(c -> c.getAllAsync(slots)).thenCompose(taken -> {
            List<String> free = new ArrayList<>(slots);
            free.removeAll(taken.keySet());
            Collections.shuffle(free, ThreadLocalRandom.current());
            String holder = owner + " " + UUID.randomUUID();
            return claim(key, free.subList(0, Math.min(MAX_CLAIMS, free.size())), holder, ttl);
        }).whenComplete((lease, error) -> {
            if (error == null && lease.isEmpty()) {
                Duration lifespan = ttl.compareTo(MARK_LIFESPAN) < 0 ? ttl : MARK_LIFESPAN;
                mark(key + WANTED, owner, lifespan);
                if (starved.isPresent()) {
                    mark(key + STARVED, starved.getAsInt() + " " + owner + " " + UUID.randomUUID(), lifespan);
                }
            }
        });
    }

    // Not part of the refusal's answer: the caller need not wait for it, and its failure changes nothing.
    private void mark(String name, String value, Duration lifespan) {
        long now = System.nanoTime();
        Long last = markedAt.get(name);
        if (last != null && now - last < lifespan.toNanos() / 3) {
            return;
        }
        markedAt.put(name, now);
        cache.call(c -> c.putAsync(name, value, lifespan.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public CompletionStage<Map<String, Demand>> demand(Collection<String> keys) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        Set<String> marks = new LinkedHashSet<>();
        for (String key : keys) {
            marks.add(key + WANTED);
            marks.add(key + STARVED);
        }
        return cache.call(c -> c.getAllAsync(marks)).thenApply(found -> {
            Map<String, Demand> out = new HashMap<>();
            for (String key : keys) {
                String mark = found.get(key + STARVED);
                OptionalInt starved = holding(mark);
                if (starved.isPresent() || found.containsKey(key + WANTED)) {
                    out.put(key, new Demand(true, starved, starved.isPresent() ? mark : null));
                }
            }
            return out;
        });
    }

    /** The count of a starved mark ({@code "<held> <owner> <id>"}); empty for none or one not written by this class. */
    private static OptionalInt holding(String mark) {
        if (mark == null) {
            return OptionalInt.empty();
        }
        int space = mark.indexOf(' ');
        try {
            return OptionalInt.of(Integer.parseInt(space < 0 ? mark : mark.substring(0, space)));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private CompletionStage<Optional<Lease>> claim(String key, List<String> candidates, String holder, Duration ttl) {
        if (candidates.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String slot = candidates.get(0);
        return cache.call(c -> c.withFlags(Flag.FORCE_RETURN_VALUE)
                        .putIfAbsentAsync(slot, holder, ttl.toMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(previous -> previous == null
                        ? CompletableFuture.completedFuture(Optional.<Lease>of(new SlotLease(key, slot, holder, ttl)))
                        : claim(key, candidates.subList(1, candidates.size()), holder, ttl));
    }

    /** Hot Rod requests sent by this instance so far. */
    public long remoteCalls() {
        return cache.requests();
    }

    private final class SlotLease implements Lease {

        private final String key;
        private final String slot;
        private final String holder;
        private final Duration ttl;
        private volatile boolean released;

        SlotLease(String key, String slot, String holder, Duration ttl) {
            this.key = key;
            this.slot = slot;
            this.holder = holder;
            this.ttl = ttl;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public CompletionStage<Boolean> renew() {
            if (released) {
                return CompletableFuture.completedFuture(false);
            }
            return cache.call(c -> c.getWithMetadataAsync(slot)).thenCompose(read -> {
                if (read == null || !holder.equals(read.getValue())) {
                    return CompletableFuture.completedFuture(false);
                }
                return cache.call(c -> c.replaceWithVersionAsync(slot, holder, read.getVersion(),
                        ttl.toMillis(), TimeUnit.MILLISECONDS, 0, TimeUnit.MILLISECONDS));
            });
        }

        @Override
        public CompletionStage<Void> release() {
            if (released) {
                return CompletableFuture.completedFuture(null);
            }
            released = true;
            return cache.call(c -> c.getWithMetadataAsync(slot)).thenCompose(read -> {
                if (read == null || !holder.equals(read.getValue())) {
                    return CompletableFuture.completedFuture(null);
                }
                return cache.call(c -> c.removeWithVersionAsync(slot, read.getVersion()))
                        .thenApply(removed -> (Void) null);
            });
        }
    }

    @Override
    public String toString() {
        return "InfinispanConnectionLeases[" + owner + "]";
    }
}
