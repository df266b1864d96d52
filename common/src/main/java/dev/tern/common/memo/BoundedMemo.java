package dev.tern.common.memo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Results of a pure function remembered by their input, for the hot paths that would otherwise
 * redo the same work for every message: parsing the same DNS record text, finding the
 * Organizational Domain of the same name. Bounded by forgetting everything when full: the inputs
 * that matter are few (one key record per selector, one policy per domain), so that happens only
 * under a flood of distinct ones, where a miss merely costs what no memo would. A function that
 * throws is not remembered: the exception reaches the caller every time. Thread-safe; two threads
 * missing the same key at once may both compute it, which is harmless for a pure function.
 */
public final class BoundedMemo<K, V> {

    private final int maxEntries;
    private final Function<K, V> compute;
    private final Map<K, V> values = new ConcurrentHashMap<>();

    /** @param compute a pure function that never returns null */
    public BoundedMemo(int maxEntries, Function<K, V> compute) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.compute = compute;
    }

    public V get(K key) {
        V known = values.get(key);
        if (known != null) {
            return known;
        }
        V computed = compute.apply(key);
        if (values.size() >= maxEntries) {
            values.clear();
        }
        values.put(key, computed);
        return computed;
    }

    /** How many results are remembered now. */
    public int size() {
        return values.size();
    }
}
