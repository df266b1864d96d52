package dev.tern.common.shaping;

import static dev.tern.common.shaping.ShapingTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.Rate;
import dev.tern.common.shaping.ConnectionLeases.Lease;
import dev.tern.common.shaping.RateLimiter.Grant;
import dev.tern.local.testkit.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The fallback decorators against a shared backend that the test breaks and repairs. Rates: 10/s
 * with a 1 s burst window, so the shared burst is 10 and the local share over 2 pods is 5.
 */
class FallbackTest {

    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final Rate RATE = Rate.parse("10/s");

    private final MutableClock clock = new MutableClock();
    private final Fallback fallback = new Fallback(() -> 2, Duration.ofMillis(200), Duration.ofSeconds(5), clock);
    private final SwitchableLimiter shared = new SwitchableLimiter(new InMemoryRateLimiter(WINDOW, clock));
    private final FallbackRateLimiter limiter =
            new FallbackRateLimiter(shared, new InMemoryRateLimiter(WINDOW, clock), fallback);

    @Test
    void usesTheSharedLimiterWhileItAnswers() {
        assertThat(await(limiter.acquire("gmail.com", RATE, 100)).granted()).isEqualTo(10);
        assertThat(limiter.degraded()).isFalse();
        assertThat(shared.calls.get()).isEqualTo(1);
    }

    @Test
    void fallsBackToTheRateDividedByLivePodsWhenSharedFails() {
        shared.mode = Mode.FAIL;

        Grant grant = await(limiter.acquire("gmail.com", RATE, 100));

        assertThat(grant.granted()).as("burst of 10/2s over a 1 s window").isEqualTo(5);
        assertThat(limiter.degraded()).isTrue();
        assertThat(fallback.outages()).isEqualTo(1);
    }

    @Test
    void withAGraceOfThreeFailuresTheFirstOnesAreRefusedNotAnsweredLocally() {
        var patient = new Fallback(() -> 2, Duration.ofMillis(200), Duration.ofSeconds(5), 3, clock);
        var rates = new FallbackRateLimiter(shared, new InMemoryRateLimiter(WINDOW, clock), patient);
        ConnectionLeases broken = failingLeases("slow");
        var leases = new FallbackConnectionLeases(broken, new InMemoryConnectionLeases(clock), patient);
        shared.mode = Mode.FAIL;

        assertThat(await(rates.acquire("gmail.com", RATE, 100)).granted()).as("1st failure: no tokens").isZero();
        assertThat(await(leases.tryAcquire("gmail.com", 10, Duration.ofMinutes(1), OptionalInt.empty()))).as("2nd: no lease").isEmpty();
        assertThat(patient.degraded()).isFalse();

        assertThat(await(rates.acquire("gmail.com", RATE, 100)).granted()).as("3rd: local share").isEqualTo(5);
        assertThat(patient.degraded()).isTrue();
        assertThat(await(leases.tryAcquire("gmail.com", 10, Duration.ofMinutes(1), OptionalInt.empty()))).as("local lease").isPresent();
    }

    @Test
    void aSuccessStartsTheCountOfFailuresAgain() {
        var patient = new Fallback(() -> 2, Duration.ofMillis(200), Duration.ofSeconds(5), 2, clock);
        var rates = new FallbackRateLimiter(shared, new InMemoryRateLimiter(WINDOW, clock), patient);
        shared.mode = Mode.FAIL;
        await(rates.acquire("a.com", RATE, 1));
        shared.mode = Mode.OK;
        await(rates.acquire("a.com", RATE, 1));
        shared.mode = Mode.FAIL;
        await(rates.acquire("a.com", RATE, 1));

        assertThat(patient.degraded()).isFalse();
    }

    @Test
    void fallsBackWhenSharedDoesNotAnswerInTime() {
        shared.mode = Mode.HANG;

        long started = System.nanoTime();
        Grant grant = await(limiter.acquire("gmail.com", RATE, 100));

        assertThat(grant.granted()).isEqualTo(5);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(limiter.degraded()).isTrue();
    }

    @Test
    void probesAtMostOncePerIntervalAndReturnsToSharedWhenAProbeSucceeds() {
        shared.mode = Mode.FAIL;
        await(limiter.acquire("gmail.com", RATE, 1));
        await(limiter.acquire("gmail.com", RATE, 1));
        await(limiter.acquire("gmail.com", RATE, 1));
        assertThat(shared.calls.get()).as("no probe before the interval").isEqualTo(1);

        clock.advance(Duration.ofSeconds(5));
        await(limiter.acquire("gmail.com", RATE, 1));
        assertThat(shared.calls.get()).as("one failed probe").isEqualTo(2);
        assertThat(limiter.degraded()).isTrue();

        shared.mode = Mode.OK;
        clock.advance(Duration.ofSeconds(5));
        await(limiter.acquire("yahoo.com", RATE, 100));

        assertThat(limiter.degraded()).isFalse();
        assertThat(fallback.outages()).isEqualTo(1);
        assertThat(await(limiter.acquire("aol.com", RATE, 100)).granted()).as("shared burst again").isEqualTo(10);
    }

    @Test
    void leasesFallBackToMaxDividedByLivePods() {
        ConnectionLeases broken = failingLeases("down");
        FallbackConnectionLeases leases =
                new FallbackConnectionLeases(broken, new InMemoryConnectionLeases(clock), fallback);

        int held = 0;
        while (await(leases.tryAcquire("gmail.com", 10, Duration.ofMinutes(1), OptionalInt.empty())).isPresent()) {
            held++;
        }

        assertThat(held).isEqualTo(5);
        assertThat(leases.degraded()).isTrue();
    }

    @Test
    void sharedLeaseOutlivesAnOutageOnRenewAndRelease() {
        Lease failing = new Lease() {
            @Override
            public String key() {
                return "gmail.com";
            }

            @Override
            public CompletionStage<Boolean> renew() {
                return CompletableFuture.failedFuture(new IllegalStateException("down"));
            }

            @Override
            public CompletionStage<Void> release() {
                return CompletableFuture.failedFuture(new IllegalStateException("down"));
            }
        };
        ConnectionLeases shared = new ConnectionLeases() {
            @Override
            public CompletionStage<Optional<Lease>> tryAcquire(String key, int max, Duration ttl, OptionalInt starved) {
                return CompletableFuture.completedFuture(Optional.of(failing));
            }

            @Override
            public CompletionStage<Map<String, Demand>> demand(java.util.Collection<String> keys) {
                return CompletableFuture.completedFuture(Map.of());
            }
        };
        FallbackConnectionLeases leases =
                new FallbackConnectionLeases(shared, new InMemoryConnectionLeases(clock), fallback);

        Lease lease = await(leases.tryAcquire("gmail.com", 10, Duration.ofMinutes(1), OptionalInt.empty())).orElseThrow();

        assertThat(await(lease.renew())).isTrue();
        assertThat(await(lease.release())).isNull();
    }

    @Test
    void suspensionIsKeptLocallyWhenSharedBackoffFails() {
        InMemoryBackoff sharedBackoff = new InMemoryBackoff(Duration.ofMinutes(5), clock);
        Backoff broken = new Backoff() {
            @Override
            public CompletionStage<Void> suspend(String key, Duration duration, String reason) {
                return CompletableFuture.failedFuture(new IllegalStateException("down"));
            }

            @Override
            public CompletionStage<Optional<java.time.Instant>> suspendedUntil(String key) {
                return sharedBackoff.suspendedUntil(key);
            }

            @Override
            public CompletionStage<Optional<Suspension>> lookup(String key) {
                return sharedBackoff.lookup(key);
            }
        };
        FallbackBackoff backoff = new FallbackBackoff(broken, new InMemoryBackoff(Duration.ofMinutes(5), clock), fallback);

        await(backoff.suspend("gmail.com", Duration.ofMinutes(1), "421"));

        assertThat(backoff.degraded()).isTrue();
        assertThat(await(backoff.suspendedUntil("gmail.com"))).hasValue(clock.instant().plus(Duration.ofMinutes(1)));
    }

    enum Mode { OK, FAIL, HANG }

    /** Delegates, fails at once, or never answers, as the test says. */
    static final class SwitchableLimiter implements RateLimiter {

        final AtomicInteger calls = new AtomicInteger();
        final RateLimiter delegate;
        volatile Mode mode = Mode.OK;

        SwitchableLimiter(RateLimiter delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<Grant> acquire(String key, Rate rate, int wanted) {
            calls.incrementAndGet();
            return switch (mode) {
                case OK -> delegate.acquire(key, rate, wanted);
                case FAIL -> CompletableFuture.failedFuture(new IllegalStateException("ISPN004xxx: connection refused"));
                case HANG -> new CompletableFuture<>();
            };
        }
    }

    /** Shared leases whose backend fails every call with {@code why}. */
    private static ConnectionLeases failingLeases(String why) {
        return new ConnectionLeases() {
            @Override
            public CompletionStage<Optional<Lease>> tryAcquire(String key, int max, Duration ttl, OptionalInt starved) {
                return CompletableFuture.failedFuture(new IllegalStateException(why));
            }

            @Override
            public CompletionStage<Map<String, Demand>> demand(java.util.Collection<String> keys) {
                return CompletableFuture.failedFuture(new IllegalStateException(why));
            }
        };
    }
}
