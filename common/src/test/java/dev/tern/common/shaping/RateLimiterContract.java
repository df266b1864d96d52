package dev.tern.common.shaping;

import static dev.tern.common.shaping.ShapingTestSupport.uniqueKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.Rate;
import dev.tern.common.shaping.RateLimiter.Grant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RateLimiter} backend must show. Subclasses supply clients of one
 * backend: for a shared backend each {@link #newClient()} is a separate connection, as another
 * pod would have; for the in-memory one, the same instance.
 */
abstract class RateLimiterContract {

    /** Every client is built with this burst window. */
    static final Duration BURST_WINDOW = Duration.ofMillis(100);

    protected abstract RateLimiter newClient();

    static Grant acquire(RateLimiter limiter, String key, Rate rate, int wanted) {
        return ShapingTestSupport.await(limiter.acquire(key, rate, wanted));
    }

    @Test
    void grantsAtMostOneBurstPerCall() {
        // 1000/s over a 100 ms burst window: 100 tokens at once, the next 100 ready 100 ms later.
        Grant grant = acquire(newClient(), uniqueKey("burst"), Rate.parse("1000/s"), 500);

        assertThat(grant.granted()).isEqualTo(100);
        assertThat(grant.retryAfter()).isBetween(Duration.ofMillis(90), BURST_WINDOW);
    }

    @Test
    void grantsEverythingWantedWhenTheBurstAllows() {
        Grant grant = acquire(newClient(), uniqueKey("small"), Rate.parse("1000/s"), 3);

        assertThat(grant.granted()).isEqualTo(3);
        assertThat(grant.retryAfter()).isZero();
    }

    @Test
    void deniesWhileExhaustedAndReportsTheWait() {
        RateLimiter limiter = newClient();
        String key = uniqueKey("exhausted");
        // 1/s: a pause of up to a second between the two calls still finds the token gone.
        Rate rate = Rate.parse("1/s");

        Grant first = acquire(limiter, key, rate, 3);
        Grant second = acquire(limiter, key, rate, 3);

        assertThat(first.granted()).isEqualTo(1);
        assertThat(second.granted()).isZero();
        assertThat(second.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
        LockSupport.parkNanos(second.retryAfter().plusMillis(10).toNanos());
        assertThat(acquire(limiter, key, rate, 1).granted()).isEqualTo(1);
    }

    @Test
    void tokensTakenByOneClientAreGoneForAnother() {
        String key = uniqueKey("shared");
        // One a minute: the second client (a new connection) is never slow enough to find a new token.
        Rate rate = Rate.parse("1/m");
        RateLimiter one = newClient();
        RateLimiter another = newClient();

        assertThat(acquire(one, key, rate, 1).granted()).isEqualTo(1);
        Grant other = acquire(another, key, rate, 1);

        assertThat(other.granted()).isZero();
        assertThat(other.retryAfter()).isPositive();
    }

    @Test
    void limitsKeysIndependently() {
        RateLimiter limiter = newClient();
        Rate rate = Rate.parse("5/s");

        assertThat(acquire(limiter, uniqueKey("a"), rate, 1).granted()).isEqualTo(1);
        assertThat(acquire(limiter, uniqueKey("b"), rate, 1).granted()).isEqualTo(1);
    }

    @Test
    void holdsTheRateWithinTenPercentUnderConcurrentCallers() throws Exception {
        Rate rate = Rate.parse("200/s");
        Duration window = Duration.ofSeconds(2);
        String key = uniqueKey("concurrent");
        List<RateLimiter> clients = List.of(newClient(), newClient());
        LongAdder granted = new LongAdder();
        long end = System.nanoTime() + window.toNanos();

        List<Thread> threads = new ArrayList<>();
        for (RateLimiter client : clients) {
            for (int i = 0; i < 2; i++) {
                Thread thread = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        Grant grant = acquire(client, key, rate, 8);
                        if (System.nanoTime() < end) {
                            granted.add(grant.granted());
                        }
                        if (grant.granted() < 8) {
                            LockSupport.parkNanos(Math.max(500_000, grant.retryAfter().toNanos()));
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
        }
        for (Thread t : threads) {
            t.join();
        }

        // 400 in the window, plus at most the initial burst of 20 allowed by GCRA: never more. Fewer
        // only if the callers ask less often than full demand, which a busy machine may cause.
        long expected = (long) (rate.perSecond() * window.toMillis() / 1000);
        assertThat(granted.sum()).as("at most the rate").isLessThanOrEqualTo((long) (expected * 1.1));
        assertThat(granted.sum()).as("near the rate").isGreaterThanOrEqualTo((long) (expected * 0.7));
    }
}
