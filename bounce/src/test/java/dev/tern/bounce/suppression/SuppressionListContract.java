package dev.tern.bounce.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.suppression.SuppressionList;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SuppressionList} backend must show (docs/ARCHITECTURE.md, Adding a backend): implemented by one
 * test class per backend. Addresses are unique per test, because the Infinispan backend's server
 * is shared by the whole test run.
 */
interface SuppressionListContract {

    SuppressionList list();

    /** Now, as the backend's clock sees it. */
    Instant now();

    /** Lets at least {@code d} pass for the backend (a real wait or a moved clock). */
    void pass(Duration d) throws InterruptedException;

    private static String address() {
        return "user-" + UUID.randomUUID() + "@example.test";
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    default void knowsNothingAboutANewAddress() {
        String a = address();
        assertThat(join(list().isSuppressed(a))).isFalse();
        assertThat(join(list().lookup(a))).isEmpty();
    }

    @Test
    default void suppressesAnAddedAddressWithItsReasonAndEnd() {
        String a = address();
        Instant until = now().plus(Duration.ofDays(30));

        join(list().add(a, "550 5.1.1 no such user", until));

        var entry = join(list().lookup(a)).orElseThrow();
        assertThat(entry.address()).isEqualTo(a);
        assertThat(entry.reason()).isEqualTo("550 5.1.1 no such user");
        assertThat(entry.until()).isEqualTo(until.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(join(list().isSuppressed(a))).isTrue();
    }

    @Test
    default void comparesAddressesIgnoringCase() {
        String a = address();
        join(list().add(a.toUpperCase(java.util.Locale.ROOT), "r", now().plus(Duration.ofDays(1))));

        assertThat(join(list().isSuppressed(a))).isTrue();
        assertThat(join(list().lookup(" " + a + " ")).orElseThrow().address()).isEqualTo(a);
    }

    @Test
    default void looksUpManyAddressesAtOnceReturningOnlyLiveEntries() throws InterruptedException {
        String listed = address();
        String expiring = address();
        String unknown = address();
        join(list().add(listed, "550 5.1.1 no such user", now().plus(Duration.ofDays(1))));
        join(list().add(expiring, "r", now().plus(Duration.ofMillis(300))));
        pass(Duration.ofMillis(400));

        var found = join(list().lookupAll(java.util.List.of(listed.toUpperCase(java.util.Locale.ROOT), expiring,
                unknown)));

        assertThat(found).containsOnlyKeys(listed);
        assertThat(found.get(listed).reason()).isEqualTo("550 5.1.1 no such user");
        assertThat(join(list().lookupAll(java.util.List.of()))).isEmpty();
    }

    @Test
    default void removeLiftsTheSuppressionAndSaysWhetherItExisted() {
        String a = address();
        join(list().add(a, "r", now().plus(Duration.ofDays(1))));

        assertThat(join(list().remove(a))).isTrue();
        assertThat(join(list().isSuppressed(a))).isFalse();
        assertThat(join(list().remove(a))).isFalse();
    }

    @Test
    default void addingAgainReplacesReasonAndEnd() {
        String a = address();
        join(list().add(a, "first", now().plus(Duration.ofDays(1))));
        Instant later = now().plus(Duration.ofDays(60));

        join(list().add(a, "second", later));

        var entry = join(list().lookup(a)).orElseThrow();
        assertThat(entry.reason()).isEqualTo("second");
        assertThat(entry.until()).isEqualTo(later.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    @Test
    default void storesNothingWhoseEndHasPassed() {
        String a = address();
        join(list().add(a, "r", now().minusSeconds(1)));

        assertThat(join(list().isSuppressed(a))).isFalse();
    }

    @Test
    default void forgetsAnEntryOnceItsEndPasses() throws InterruptedException {
        String a = address();
        join(list().add(a, "r", now().plus(Duration.ofMillis(1500))));
        assertThat(join(list().isSuppressed(a))).isTrue();

        pass(Duration.ofMillis(2000));

        assertThat(join(list().isSuppressed(a))).isFalse();
        assertThat(join(list().remove(a))).isFalse();
    }

    @Test
    default void listsLiveEntriesSortedByAddressUpToTheLimit() throws InterruptedException {
        String b = "list-b-" + java.util.UUID.randomUUID() + "@remote.test";
        String a = "list-a-" + java.util.UUID.randomUUID() + "@remote.test";
        String gone = "list-gone-" + java.util.UUID.randomUUID() + "@remote.test";
        join(list().add(b, "550 5.1.1 no such user", now().plus(Duration.ofDays(1))));
        join(list().add(a, "operator", now().plus(Duration.ofDays(2))));
        join(list().add(gone, "r", now().plus(Duration.ofMillis(300))));
        pass(Duration.ofMillis(600));

        var all = join(list().list(100_000));
        assertThat(all).extracting(SuppressionList.Entry::address).contains(a, b).doesNotContain(gone);
        assertThat(all).extracting(SuppressionList.Entry::address).isSorted();
        assertThat(all).filteredOn(e -> e.address().equals(a)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("operator"));
        assertThat(join(list().list(1))).hasSize(1);
        assertThat(join(list().list(0))).isEmpty();
    }
}
