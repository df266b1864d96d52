package dev.tern.common.infinispan;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A shared-state backend (an Infinispan-backed store, suppression list, …) opened on the caller's
 * thread at first use, and again at the next use after opening it failed, so a service starts
 * whatever state Infinispan is in. Unlike {@link BackgroundOpener} the caller waits for the
 * opening (a blocking Hot Rod call): use it only from threads that may block. Thread-safe.
 *
 * @param <T> what is opened
 */
public final class OpenOnFirstUse<T> {

    private final Supplier<T> opener;
    private volatile T value;

    public OpenOnFirstUse(Supplier<T> opener) {
        this.opener = opener;
    }

    /** The backend, opened now if it is not yet; throws what opening it threw. */
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                if (value == null) {
                    value = opener.get();
                }
                v = value;
            }
        }
        return v;
    }

    /** {@code op} on the backend; a failure to open it, or a throwing {@code op}, is a failed stage. */
    public <R> CompletionStage<R> call(Function<T, CompletionStage<R>> op) {
        try {
            return op.apply(get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
