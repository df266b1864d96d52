package dev.tern.delivery.support;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.Predicate;

/** Polls until a value satisfies a condition, for asserting on asynchronous delivery. */
public final class Eventually {

    private Eventually() {
    }

    public static <T> T await(Duration max, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + max.toNanos();
        T value = probe.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            value = probe.get();
        }
        return value;
    }
}
