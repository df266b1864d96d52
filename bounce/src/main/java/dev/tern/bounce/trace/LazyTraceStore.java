package dev.tern.bounce.trace;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A {@link TraceStore} made on first use, and again after making it failed (Infinispan client not
 * configurable yet): the service starts whatever state its backends are in. Thread-safe.
 */
public final class LazyTraceStore implements TraceStore {

    private final Supplier<TraceStore> factory;
    private volatile TraceStore delegate;

    public LazyTraceStore(Supplier<TraceStore> factory) {
        this.factory = factory;
    }

    @Override
    public CompletionStage<Void> update(String key, UnaryOperator<String> change, Duration lifespan) {
        try {
            return backend().update(key, change, lifespan);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Map<String, String>> getAll(Collection<String> keys) {
        try {
            return backend().getAll(keys);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private TraceStore backend() {
        TraceStore d = delegate;
        if (d == null) {
            synchronized (this) {
                if (delegate == null) {
                    delegate = factory.get();
                }
                d = delegate;
            }
        }
        return d;
    }
}
