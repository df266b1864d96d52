package dev.tern.ingress.trust.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryGreylistStoreTest implements GreylistStoreContract {

    private final MutableClock clock = new MutableClock();
    private final InMemoryGreylistStore store = new InMemoryGreylistStore(clock);

    @Override
    public GreylistStore store() {
        return store;
    }

    @Test
    void entriesExpireAfterTheirLifespanAndCanThenBeCreatedAgain() {
        store.create("k", TripletState.seen(T0), HOUR);
        clock.advance(HOUR.minusMillis(1));
        assertThat(store.read("k").toCompletableFuture().join()).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(store.read("k").toCompletableFuture().join()).isEmpty();
        assertThat(store.create("k", TripletState.seen(T0.plus(HOUR)), HOUR).toCompletableFuture().join()).isTrue();
    }

    @Test
    void anExpiredEntryCannotBeReplaced() {
        store.create("k", TripletState.seen(T0), HOUR);
        long version = store.read("k").toCompletableFuture().join().orElseThrow().version();
        clock.advance(HOUR);
        assertThat(store.replace("k", version, TripletState.passed(T0), HOUR).toCompletableFuture().join()).isFalse();
        store.evictExpired();
        assertThat(store.read("k").toCompletableFuture().join()).isEmpty();
    }
}
