package dev.tern.bounce.suppression;

import dev.tern.common.infinispan.OpenOnFirstUse;
import dev.tern.common.suppression.SuppressionList;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A {@link SuppressionList} whose backend is created on first use and again after a failed
 * creation, so the service starts while Infinispan is down (readiness reports it) and picks the
 * cache up when the server answers. Creating the cache is a blocking Hot Rod call: the first use
 * must be on a thread that may block (the consumer thread or a worker). Thread-safe.
 */
public final class ReconnectingSuppressionList implements SuppressionList {

    private final OpenOnFirstUse<SuppressionList> backend;

    public ReconnectingSuppressionList(Supplier<SuppressionList> factory) {
        this.backend = new OpenOnFirstUse<>(factory);
    }

    @Override
    public CompletionStage<Void> add(String address, String reason, Instant until) {
        return backend.call(l -> l.add(address, reason, until));
    }

    @Override
    public CompletionStage<Optional<Entry>> lookup(String address) {
        return backend.call(l -> l.lookup(address));
    }

    @Override
    public CompletionStage<java.util.List<Entry>> list(int limit) {
        return backend.call(l -> l.list(limit));
    }

    @Override
    public CompletionStage<Boolean> remove(String address) {
        return backend.call(l -> l.remove(address));
    }
}
