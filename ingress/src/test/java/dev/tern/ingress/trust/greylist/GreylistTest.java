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
import org.junit.jupiter.api.Test;

/** The greylisting state machine over an in-memory store and a clock moved by hand. */
class GreylistTest {

    static final Checks.Greylisting POLICY = new Checks.Greylisting(true, Duration.ofMinutes(5), Duration.ofHours(4),
            Duration.ofDays(36), List.of(Cidr.parse("198.51.100.0/24")), Set.of("partner.example"));

    private final MutableClock clock = new MutableClock();
    private final InMemoryGreylistStore store = new InMemoryGreylistStore();
    private final Greylist greylist = new Greylist(store, clock, Duration.ofSeconds(10));

    private GreylistVerdict check(Greylist g, String ip, String sender, String recipient) {
        try {
            return g.check(InetAddress.getByName(ip), sender, recipient, POLICY).toCompletableFuture().join();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private GreylistVerdict check(String ip) {
        return check(greylist, ip, "alice@sender.example", "bob@here.example");
    }

    @Test
    void theFirstAttemptIsDeferredForTheDelayAndRemembered() {
        GreylistVerdict v = check("192.0.2.1");
        assertThat(v.outcome()).isEqualTo(Outcome.FIRST_SEEN);
        assertThat(v.passes()).isFalse();
        assertThat(v.retryAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(v.replyText()).isEqualTo("Greylisted, please try again in 300 seconds");
        String key = "192.0.2.0/24 alice@sender.example bob@here.example";
        assertThat(store.entries.get(key).state()).isEqualTo(TripletState.seen(clock.instant()));
        assertThat(store.lifespans.get(key)).as("the server forgets it after the retry window")
                .isEqualTo(Duration.ofHours(4));
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
        assertThat(store.lifespans.values()).containsExactly(Duration.ofDays(36));
        clock.advance(Duration.ofDays(1));
        GreylistVerdict later = check("192.0.2.1");
        assertThat(later.outcome()).isEqualTo(Outcome.KNOWN);
        assertThat(later.retryAfter()).isZero();
    }

    @Test
    void aRetryAfterTheRetryWindowStartsOver() {
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
            clock.advance(Duration.ofDays(7));
            assertThat(check("192.0.2.1").outcome()).as("week " + week).isEqualTo(Outcome.KNOWN);
        }
        int writes = store.writes;
        clock.advance(Duration.ofHours(1));
        check("192.0.2.1");
        assertThat(store.writes).as("no write for a use soon after a refresh").isEqualTo(writes);

        clock.advance(Duration.ofDays(36).plusSeconds(1));
        assertThat(check("192.0.2.1").outcome()).isEqualTo(Outcome.EXPIRED);
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
        assertThat(greylist.check(InetAddress.getByName("192.0.2.1"), "a@b.example", "c@d.example", off)
                .toCompletableFuture().join().outcome()).isEqualTo(Outcome.DISABLED);
        assertThat(store.entries).isEmpty();
    }

    @Test
    void twoPodsRacingOnAFirstAttemptAgreeOnOneFirstSeenTime() {
        // Both pods read "absent" before either writes: the loser of putIfAbsent reads again.
        var racing = new InMemoryGreylistStore() {
            boolean raced;

            @Override
            public synchronized CompletionStage<Boolean> create(String key, TripletState state, Duration lifespan) {
                if (!raced) {
                    raced = true;
                    super.create(key, TripletState.seen(state.since().minusSeconds(30)), lifespan);
                }
                return super.create(key, state, lifespan);
            }
        };
        GreylistVerdict v = check(new Greylist(racing, clock, Duration.ofSeconds(10)), "192.0.2.1",
                "alice@sender.example", "bob@here.example");
        assertThat(v.outcome()).isEqualTo(Outcome.TOO_EARLY);
        assertThat(v.retryAfter()).as("the other pod's first-seen time holds").isEqualTo(Duration.ofSeconds(270));
    }

    @Test
    void aStoreThatFailsOrHangsLetsTheMailPassAndIsCounted() {
        var failing = new InMemoryGreylistStore() {
            @Override
            public CompletionStage<Optional<Stored>> read(String key) {
                return CompletableFuture.failedFuture(new IllegalStateException("Infinispan down"));
            }
        };
        var down = new Greylist(failing, clock, Duration.ofSeconds(10));
        assertThat(check(down, "192.0.2.1", "a@b.example", "c@d.example").outcome())
                .isEqualTo(Outcome.STORE_UNAVAILABLE);

        var hanging = new InMemoryGreylistStore() {
            @Override
            public CompletionStage<Optional<Stored>> read(String key) {
                return new CompletableFuture<>();
            }
        };
        var slow = new Greylist(hanging, clock, Duration.ofMillis(50));
        GreylistVerdict v = check(slow, "192.0.2.1", "a@b.example", "c@d.example");
        assertThat(v.outcome()).isEqualTo(Outcome.STORE_UNAVAILABLE);
        assertThat(v.passes()).isTrue();
        assertThat(down.storeFailures()).isEqualTo(1);
        assertThat(slow.storeFailures()).isEqualTo(1);
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
}
