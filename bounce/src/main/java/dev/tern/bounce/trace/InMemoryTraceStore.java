package dev.tern.bounce.trace;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * {@link TraceStore} in this process's memory, with the same lifespan semantics as the
 * Infinispan one (an entry is gone once its lifespan has passed on {@code clock}). For tests and
 * single-process tools; not shared between pods. Thread-safe.
 */
public final class InMemoryTraceStore implements TraceStore {

    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    public InMemoryTraceStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> update(String key, UnaryOperator<String> change, Duration lifespan) {
        Instant now = clock.instant();
        entries.compute(key, (k, old) -> {
            String current = old == null || !old.until.isAfter(now) ? null : old.value;
            return new Entry(change.apply(current), now.plus(lifespan));
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Map<String, String>> getAll(Collection<String> keys) {
        Instant now = clock.instant();
        var out = new HashMap<String, String>();
        for (String key : keys) {
            Entry e = entries.get(key);
            if (e != null && e.until.isAfter(now)) {
                out.put(key, e.value);
            }
        }
        return CompletableFuture.completedFuture(out);
    }

    private record Entry(String value, Instant until) {
    }
}
