package dev.tern.common.shaping;

import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Helpers every shaping contract and test shares: fresh keys, and bounded waits on stages. */
final class ShapingTestSupport {

    private ShapingTestSupport() {
    }

    /** A key no other test (or earlier run against the same server) has used. */
    static String uniqueKey(String name) {
        return name + "-" + UUID.randomUUID() + ".test";
    }

    /**
     * Polls {@code probe} until {@code done} holds or 10 s pass; the last value. For state a
     * backend changes on its own (an expiry, a mark written after a refusal): waiting for it beats
     * guessing how long it takes on a busy machine.
     */
    static <T> T eventually(java.util.function.Supplier<T> probe, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        T value = probe.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            value = probe.get();
        }
        return value;
    }

    /** The stage's value within 10 s, or an {@link AssertionError} naming what failed. */
    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("shaping operation failed", e);
        }
    }
}
