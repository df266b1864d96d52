package dev.tern.ingress.trust.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every {@link GreylistStore} must do: conditional writes that let racing pods agree. */
interface GreylistStoreContract {

    /** A store for this test; keys are unique per call of {@link #key()}. */
    GreylistStore store();

    default String key() {
        return "192.0.2.0/24 a@b.example c" + System.nanoTime() + "@d.example";
    }

    Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    Duration HOUR = Duration.ofHours(1);

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    default void anUnknownKeyReadsAsEmpty() throws Exception {
        assertThat(await(store().read(key()))).isEmpty();
    }

    @Test
    default void createWritesOnlyWhenTheKeyIsAbsent() throws Exception {
        GreylistStore store = store();
        String key = key();
        assertThat(await(store.create(key, TripletState.seen(T0), HOUR))).isTrue();
        assertThat(await(store.create(key, TripletState.seen(T0.plusSeconds(9)), HOUR))).isFalse();
        assertThat(await(store.read(key)).orElseThrow().state()).isEqualTo(TripletState.seen(T0));
    }

    @Test
    default void replaceWritesOnlyOverTheVersionThatWasRead() throws Exception {
        GreylistStore store = store();
        String key = key();
        await(store.create(key, TripletState.seen(T0), HOUR));
        GreylistStore.Stored read = await(store.read(key)).orElseThrow();

        assertThat(await(store.replace(key, read.version(), TripletState.passed(T0.plusSeconds(300)), HOUR)))
                .isTrue();
        assertThat(await(store.replace(key, read.version(), TripletState.seen(T0.plusSeconds(600)), HOUR)))
                .as("a second writer holding the old version loses").isFalse();
        GreylistStore.Stored now = await(store.read(key)).orElseThrow();
        assertThat(now.state()).isEqualTo(TripletState.passed(T0.plusSeconds(300)));
        assertThat(now.version()).isNotEqualTo(read.version());
    }

    @Test
    default void replaceOfAnAbsentKeyWritesNothing() throws Exception {
        GreylistStore store = store();
        String key = key();
        assertThat(await(store.replace(key, 1, TripletState.passed(T0), HOUR))).isFalse();
        assertThat(await(store.read(key))).isEqualTo(Optional.empty());
    }
}
