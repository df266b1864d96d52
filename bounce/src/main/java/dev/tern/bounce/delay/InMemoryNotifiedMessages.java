package dev.tern.bounce.delay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** {@link NotifiedMessages} in this JVM's heap, for unit tests. Expired ids are dropped on read. */
public final class InMemoryNotifiedMessages implements NotifiedMessages {

    private final ConcurrentHashMap<String, Instant> until = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryNotifiedMessages(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<Boolean> contains(String messageId) {
        Instant end = until.get(messageId);
        if (end != null && !end.isAfter(clock.instant())) {
            until.remove(messageId, end);
            end = null;
        }
        return CompletableFuture.completedFuture(end != null);
    }

    @Override
    public CompletionStage<Void> remember(String messageId, Duration lifespan) {
        until.put(messageId, clock.instant().plus(lifespan));
        return CompletableFuture.completedFuture(null);
    }
}
