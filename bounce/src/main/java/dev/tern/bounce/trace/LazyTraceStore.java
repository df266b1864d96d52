package dev.tern.bounce.trace;

import dev.tern.common.infinispan.OpenOnFirstUse;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A {@link TraceStore} made on first use, and again after making it failed (Infinispan client not
 * configurable yet): the service starts whatever state its backends are in. Thread-safe.
 */
public final class LazyTraceStore implements TraceStore {

    private final OpenOnFirstUse<TraceStore> backend;

    public LazyTraceStore(Supplier<TraceStore> factory) {
        this.backend = new OpenOnFirstUse<>(factory);
    }

    @Override
    public CompletionStage<Void> update(String key, UnaryOperator<String> change, Duration lifespan) {
        return backend.call(s -> s.update(key, change, lifespan));
    }

    @Override
    public CompletionStage<Map<String, String>> getAll(Collection<String> keys) {
        return backend.call(s -> s.getAll(keys));
    }
}
