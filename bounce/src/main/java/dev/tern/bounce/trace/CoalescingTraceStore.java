package dev.tern.bounce.trace;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * At most one {@link #update} per key in flight from this process: changes that arrive for a key
 * while its update is on its way wait, and then go to the backend together, as one update whose
 * change applies theirs in arrival order. A hot key (one recipient or Message-ID shared by many
 * messages) otherwise had every concurrent event read the same entry, lose the optimistic race to
 * one of the others and read it again, up to {@code ATTEMPTS} times each: most of the bounce
 * service's CPU and Hot Rod traffic under load (BENCHMARKS.md, issue 15). Each caller's stage
 * completes only when the update holding its change is written, or fails with it, so the events
 * consumer still commits only what is stored. Thread-safe.
 */
public final class CoalescingTraceStore implements TraceStore {

    /** Changes per backend update; the rest wait for the next one, so one update stays bounded. */
    static final int MAX_BATCH = 256;

    private final TraceStore backend;
    private final Map<String, ArrayDeque<Waiting>> waiting = new HashMap<>(); // guarded by this

    private record Waiting(UnaryOperator<String> change, Duration lifespan, CompletableFuture<Void> done) {
    }

    public CoalescingTraceStore(TraceStore backend) {
        this.backend = backend;
    }

    @Override
    public CompletionStage<Void> update(String key, UnaryOperator<String> change, Duration lifespan) {
        var w = new Waiting(change, lifespan, new CompletableFuture<>());
        boolean idle;
        synchronized (this) {
            // A key is in the map while an update of it is in flight or about to start.
            idle = !waiting.containsKey(key);
            waiting.computeIfAbsent(key, k -> new ArrayDeque<>()).add(w);
        }
        if (idle) {
            next(key);
        }
        return w.done;
    }

    private void next(String key) {
        List<Waiting> batch = new ArrayList<>();
        synchronized (this) {
            ArrayDeque<Waiting> queue = waiting.get(key);
            while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(queue.poll());
            }
            if (batch.isEmpty()) {
                waiting.remove(key);
                return;
            }
        }
        Duration lifespan = batch.get(0).lifespan();
        for (Waiting w : batch) {
            lifespan = w.lifespan().compareTo(lifespan) > 0 ? w.lifespan() : lifespan;
        }
        UnaryOperator<String> all = batch.size() == 1 ? batch.get(0).change() : combined(batch);
        CompletionStage<Void> written;
        try {
            written = backend.update(key, all, lifespan);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((ok, error) -> {
            for (Waiting w : batch) {
                if (error == null) {
                    w.done.complete(null);
                } else {
                    w.done.completeExceptionally(error);
                }
            }
            next(key);
        });
    }

    /** One change doing the batch's in order: on one parse of the entry when every one can. */
    private static UnaryOperator<String> combined(List<Waiting> batch) {
        var trees = new ArrayList<TraceIndex.TreeChange>();
        for (Waiting w : batch) {
            if (w.change() instanceof TraceIndex.TreeChange t) {
                trees.add(t);
            }
        }
        if (trees.size() == batch.size()) {
            return TraceIndex.TreeChange.batch(trees);
        }
        return current -> {
            String value = current;
            for (Waiting w : batch) {
                value = w.change().apply(value);
            }
            return value;
        };
    }

    @Override
    public CompletionStage<Map<String, String>> getAll(Collection<String> keys) {
        return backend.getAll(keys);
    }
}
