package dev.tern.bounce.trace;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * The key-value store behind the {@link TraceIndex}: string keys, JSON text values, every entry
 * with a lifespan after which the store forgets it by itself. Shared by every bounce pod in
 * production ({@link InfinispanTraceStore}); {@link InMemoryTraceStore} serves tests.
 *
 * <p>{@link #update} is atomic per key: concurrent updates of one key (the events consumer and a
 * notice for the same message) are applied one after the other, never lost. All operations are
 * asynchronous; a failed stage means the store could not be reached.
 */
public interface TraceStore {

    /**
     * Replaces the value of {@code key} by {@code change.apply(current)} ({@code current} is null
     * when absent) and gives the entry {@code lifespan} from now. {@code change} may be called more
     * than once (optimistic retries), so it must be a pure function of its argument.
     */
    CompletionStage<Void> update(String key, UnaryOperator<String> change, Duration lifespan);

    /** The values of the present keys among {@code keys}; absent ones are left out. */
    CompletionStage<Map<String, String>> getAll(Collection<String> keys);
}
