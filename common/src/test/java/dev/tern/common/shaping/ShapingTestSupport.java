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

    /** The stage's value within 10 s, or an {@link AssertionError} naming what failed. */
    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("shaping operation failed", e);
        }
    }
}
