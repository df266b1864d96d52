package dev.tern.ingress.trust.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.Checks;
import dev.tern.common.policy.Cidr;
import dev.tern.ingress.trust.greylist.GreylistVerdict.Outcome;
import dev.tern.local.testkit.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The greylisting state machine over an in-memory store and clocks moved by hand. The store has
 * its own clock, left still unless a test moves it, as the Infinispan server's real clock stays
 * still while a test moves the pods' clock: the stored times must decide, not the store's expiry.
 */
class GreylistTest {

    static final Checks.Greylisting POLICY = new Checks.Greylisting(true, Duration.ofMinutes(5), Duration.ofHours(4),
            Duration.ofDays(36), List.of(Cidr.parse("198.51.100.0/24")), Set.of("partner.example"));
    static final String KEY = "192.0.2.0/24 alice@sender.example bob@here.example";

    private final MutableClock clock = new MutableClock();
    private final MutableClock storeClock = new MutableClock();
    private final InMemoryGreylistStore store = new InMemoryGreylistStore(storeClock);
    private final Greylist greylist = new Greylist(store, clock, Duration.ofSeconds(10));

    private static GreylistVerdict check(Greylist g, String ip, String sender, String recipient) {
        try {
            return g.check(InetAddress.getByName(ip), sender, recipient, POLICY).toCompletableFuture().join();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private GreylistVerdict check(String ip) {
        return check(greylist, ip, "alice@sender.example", "bob@here.example");
    }

    private Optional<TripletState> stored() {
        return store.read(KEY).toCompletableFuture().join().map(GreylistStore.Stored::state);
    }

    /** Advances the pods' clock and the store's together. */
    private void advanceBoth(Duration d) {
        clock.advance(d);
        storeClock.advance(d);
    }

    @Test
    void theFirstAttemptIsDeferredForTheDelayAndRememberedForTheRetryWindow() {
        GreylistVerdict v = check("192.0.2.1");
        assertThat(v.outcome()).isEqualTo(Outcome.FIRST_SEEN);
        assertThat(v.passes()).isFalse();
        assertThat(v.retryAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(v.replyText()).isEqualTo("Greylisted, please try again in 300 seconds");
        assertThat(stored()).contains(TripletState.seen(clock.instant()));
        advanceBoth(Duration.ofHours(4));
        assertThat(stored()).as("the store forgets it after the retry window").isEmpty();
        assertThat(check("192.0.2.1").outcome()).isEqualTo(Outcome.FIRST_SEEN);
    }

    @Test
    void aRetryBeforeTheDelayIsDeferredForTheRestOfItWithoutMovingTheFirstSeenTime() {
        check("192.0.2.1");
        clock.advance(Duration.ofMinutes(2));
        GreylistVerdict v = check("192.0.2.1");
        assertThat(v.outcome()).isEqualTo(Outcome.TOO_EARLY);
        assertThat(v.retryAfter()).isEqualTo(Duration.ofMinutes(3));
        clock.advance(Duration.ofMinutes(3).minusSeconds(1));
        assertThat(check("192.0.2.1").outcome()).isEqualTo(Outcome.TOO_EARLY);
    }

    @Test
    void aRetryAfterTheDelayFromAnotherHostOfTheSameNetworkPassesAndTheTripletPassesFromThenOn() {
        check("192.0.2.1");
        clock.advance(Duration.ofMinutes(5));
        assertThat(check("192.0.2.99").outcome()).isEqualTo(Outcome.RETRIED);
        assertThat(stored()).contains(TripletState.passed(clock.instant()));
        advanceBoth(Duration.ofDays(35));
        GreylistVerdict later = check("192.0.2.1");
        assertThat(later.outcome()).as("kept for the pass lifetime").isEqualTo(Outcome.KNOWN);
        assertThat(later.retryAfter()).isZero();
    }

    @Test
    void aRetryAfterTheRetryWindowStartsOverEvenIfTheStoreStillHasTheEntry() {
        check("192.0.2.1");
        clock.advance(Duration.ofHours(4).plusSeconds(1));
        GreylistVerdict v = check("192.0.2.1");
        assertThat(v.outcome()).isEqualTo(Outcome.EXPIRED);
        assertThat(v.retryAfter()).isEqualTo(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(4));
        assertThat(check("192.0.2.1").outcome()).as("the delay counts from the restart").isEqualTo(Outcome.TOO_EARLY);
        clock.advance(Duration.ofMinutes(1));
        assertThat(check("192.0.2.1").outcome()).isEqualTo(Outcome.RETRIED);
    }

    @Test
    void aPassedTripletUnusedPastItsLifetimeStartsOverButRegularUseKeepsItPassed() {
        check("192.0.2.1");
        clock.advance(Duration.ofMinutes(5));
        check("192.0.2.1");
        for (int week = 0; week < 10; week++) {
            advanceBoth(Duration.ofDays(7));
            assertThat(check("192.0.2.1").outcome()).as("week " + week).isEqualTo(Outcome.KNOWN);
        }
        TripletState refreshed = stored().orElseThrow();
        assertThat(refreshed).isEqualTo(TripletState.passed(clock.instant()));
        clock.advance(Duration.ofHours(1));
        check("192.0.2.1");
        assertThat(stored()).as("no write for a use soon after a refresh").contains(refreshed);

        clock.advance(Duration.ofDays(36));
        assertThat(check("192.0.2.1").outcome()).isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void aTripletThisPodSawPassSkipsTheStoreUntilTheStoreWouldRefreshIt() {
        var reads = new java.util.concurrent.atomic.AtomicInteger();
        var counted = new Greylist(new Wrapped(store, key -> {
            reads.incrementAndGet();
            return store.read(key);
        }), clock, Duration.ofSeconds(10));
        check(counted, "192.0.2.1", "alice@sender.example", "bob@here.example");
        clock.advance(Duration.ofMinutes(5));
        assertThat(check(counted, "192.0.2.1", "alice@sender.example", "bob@here.example").outcome())
                .isEqualTo(Outcome.RETRIED);
        int afterPass = reads.get();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofHours(20));
            assertThat(check(counted, "192.0.2.1", "alice@sender.example", "bob@here.example").outcome())
                    .isEqualTo(Outcome.KNOWN);
        }
        assertThat(reads.get()).as("100 hours after the pass: under a pass lifetime / 8 (108 h)").isEqualTo(afterPass);
        clock.advance(Duration.ofHours(9));
        assertThat(check(counted, "192.0.2.1", "alice@sender.example", "bob@here.example").outcome())
                .isEqualTo(Outcome.KNOWN);
        assertThat(reads.get()).as("past it the store is asked, and refreshes the triplet").isEqualTo(afterPass + 1);
        assertThat(stored()).contains(TripletState.passed(clock.instant()));
        assertThat(check("192.0.2.1").outcome()).as("another pod without the memory asks the store")
                .isEqualTo(Outcome.KNOWN);
    }

    @Test
    void otherTripletsWaitOnTheirOwn() {
        check("192.0.2.1");
        clock.advance(Duration.ofMinutes(5));
        assertThat(check(greylist, "192.0.2.1", "alice@sender.example", "carol@here.example").outcome())
                .isEqualTo(Outcome.FIRST_SEEN);
        assertThat(check(greylist, "192.0.3.1", "alice@sender.example", "bob@here.example").outcome())
                .isEqualTo(Outcome.FIRST_SEEN);
        assertThat(check(greylist, "192.0.2.1", "prvs=0123abcdef=Alice@Sender.example", "bob@here.example").outcome())
                .as("the same sender under a BATV tag").isEqualTo(Outcome.RETRIED);
    }

    @Test
    void whitelistedClientsAndDomainsAndADisabledPolicyPassWithoutTheStore() throws Exception {
        assertThat(check("198.51.100.3").outcome()).isEqualTo(Outcome.WHITELISTED);
        assertThat(check(greylist, "192.0.2.1", "news@mail.partner.example", "bob@here.example").outcome())
                .isEqualTo(Outcome.WHITELISTED);
        var off = new Checks.Greylisting(false, POLICY.delay(), POLICY.retryWindow(), POLICY.passLifetime(),
                List.of(), Set.of());
        assertThat(greylist.check(InetAddress.getByName("192.0.2.1"), "alice@sender.example", "bob@here.example", off)
                .toCompletableFuture().join().outcome()).isEqualTo(Outcome.DISABLED);
        assertThat(stored()).isEmpty();
    }

    @Test
    void twoPodsRacingOnAFirstAttemptAgreeOnOneFirstSeenTime() {
        // Both pods read "absent" before either writes: the other pod's create lands first.
        var racing = new Wrapped(store) {
            boolean raced;

            @Override
            public CompletionStage<Boolean> create(String key, TripletState state, Duration lifespan) {
                if (!raced) {
                    raced = true;
                    store.create(key, TripletState.seen(state.since().minusSeconds(30)), lifespan);
                }
                return store.create(key, state, lifespan);
            }
        };
        GreylistVerdict v = check(new Greylist(racing, clock, Duration.ofSeconds(10)), "192.0.2.1",
                "alice@sender.example", "bob@here.example");
        assertThat(v.outcome()).isEqualTo(Outcome.TOO_EARLY);
        assertThat(v.retryAfter()).as("the other pod's first-seen time holds").isEqualTo(Duration.ofSeconds(270));
    }

    @Test
    void aStoreThatFailsOrHangsLetsTheMailPassAndIsCounted() {
        var down = new Greylist(new Wrapped(store, key -> CompletableFuture.failedFuture(
                new IllegalStateException("Infinispan down"))), clock, Duration.ofSeconds(10));
        assertThat(check(down, "192.0.2.1", "a@b.example", "c@d.example").outcome())
                .isEqualTo(Outcome.STORE_UNAVAILABLE);

        var slow = new Greylist(new Wrapped(store, key -> new CompletableFuture<>()), clock, Duration.ofMillis(50));
        GreylistVerdict v = check(slow, "192.0.2.1", "a@b.example", "c@d.example");
        assertThat(v.outcome()).isEqualTo(Outcome.STORE_UNAVAILABLE);
        assertThat(v.passes()).isTrue();
        assertThat(down.storeFailures()).isEqualTo(1);
        assertThat(slow.storeFailures()).isEqualTo(1);

        assertThat(check(greylist, "192.0.2.1", "a@b.example", "c@d.example").outcome())
                .as("nothing was recorded while the store was away").isEqualTo(Outcome.FIRST_SEEN);
    }

    @Test
    void aPodWhoseClockRunsBehindTreatsATimeInTheFutureAsJustWritten() {
        check("192.0.2.1");
        var behind = new MutableClock(clock.instant().minusSeconds(60));
        GreylistVerdict v = check(new Greylist(store, behind, Duration.ofSeconds(10)), "192.0.2.1",
                "alice@sender.example", "bob@here.example");
        assertThat(v.outcome()).isEqualTo(Outcome.TOO_EARLY);
        assertThat(v.retryAfter()).isEqualTo(Duration.ofMinutes(5));
    }

    /** A store that answers reads its own way and passes the rest to another. */
    private static class Wrapped implements GreylistStore {
        final GreylistStore store;
        private final Function<String, CompletionStage<Optional<Stored>>> reads;

        Wrapped(GreylistStore store) {
            this(store, store::read);
        }

        Wrapped(GreylistStore store, Function<String, CompletionStage<Optional<Stored>>> reads) {
            this.store = store;
            this.reads = reads;
        }

        @Override
        public CompletionStage<Optional<Stored>> read(String key) {
            return reads.apply(key);
        }

        @Override
        public CompletionStage<Boolean> create(String key, TripletState state, Duration lifespan) {
            return store.create(key, state, lifespan);
        }

        @Override
        public CompletionStage<Boolean> replace(String key, long version, TripletState state, Duration lifespan) {
            return store.replace(key, version, state, lifespan);
        }
    }
}
