package dev.tern.delivery.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.Rate;
import dev.tern.common.shaping.RateLimiter;
import dev.tern.delivery.metrics.ShapingMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class TokenStockTest {

    private static final ShapingKey KEY = ShapingKey.destination("d.test");
    private static final Rate RATE = Rate.parse("100/s");
    private static final Duration WINDOW = Duration.ofSeconds(1);

    /** A limiter that answers as told and records how many tokens each request wanted. */
    private static final class ScriptedLimiter implements RateLimiter {
        final List<Integer> asked = new ArrayList<>();
        IntFunction<CompletableFuture<Grant>> answer = wanted ->
                CompletableFuture.completedFuture(new Grant(wanted, Duration.ZERO));

        @Override
        public CompletionStage<Grant> acquire(String key, Rate rate, int wanted) {
            assertThat(key).isEqualTo(KEY.toString());
            asked.add(wanted);
            return answer.apply(wanted);
        }
    }

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final ScriptedLimiter limiter = new ScriptedLimiter();
    private final List<ShapingKey> refilled = new ArrayList<>();
    private final TokenStock stock = new TokenStock(limiter, WINDOW,
            new ShapingMetrics(new SimpleMeterRegistry(), () -> false), refilled::add, now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void fetchesWhatIsWaitingAtOnceAndSpendsItWithoutFurtherRequests() {
        assertThat(stock.tryTake(KEY, RATE, 5)).isZero();
        for (int i = 0; i < 4; i++) {
            assertThat(stock.tryTake(KEY, RATE, 1)).isZero();
        }
        assertThat(limiter.asked).containsExactly(5);
        assertThat(refilled).containsExactly(KEY);

        assertThat(stock.tryTake(KEY, RATE, 1)).as("the stock is spent: ask again").isZero();
        assertThat(limiter.asked).hasSize(2);
    }

    @Test
    void dropsAStockUnusedForABurstWindow() {
        assertThat(stock.tryTake(KEY, RATE, 5)).isZero();
        limiter.answer = wanted -> CompletableFuture.completedFuture(new RateLimiter.Grant(0, Duration.ofMillis(300)));
        advance(WINDOW.plusMillis(1));

        assertThat(stock.tryTake(KEY, RATE, 1)).as("the four left over are gone").isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aPartialGrantHoldsFurtherRequestsBackForItsRetryAfter() {
        limiter.answer = wanted -> CompletableFuture.completedFuture(new RateLimiter.Grant(0, Duration.ofMillis(300)));
        assertThat(stock.tryTake(KEY, RATE, 3)).isEqualTo(Duration.ofMillis(300));
        advance(Duration.ofMillis(100));
        assertThat(stock.tryTake(KEY, RATE, 3)).isEqualTo(Duration.ofMillis(200));
        assertThat(limiter.asked).as("no request before the retryAfter").hasSize(1);
        advance(Duration.ofMillis(200));
        stock.tryTake(KEY, RATE, 3);
        assertThat(limiter.asked).hasSize(2);
    }

    @Test
    void asksForAsManyAsTheLastBurstWindowSpent() {
        assertThat(stock.tryTake(KEY, RATE, 10)).isZero();
        for (int i = 0; i < 9; i++) {
            assertThat(stock.tryTake(KEY, RATE, 1)).isZero();
        }
        advance(WINDOW.plusMillis(1));
        assertThat(stock.tryTake(KEY, RATE, 1)).isZero();
        assertThat(limiter.asked).containsExactly(10, 10);

        advance(WINDOW.multipliedBy(3));
        stock.tryTake(KEY, RATE, 1);
        assertThat(limiter.asked.get(2)).as("an idle window resets the estimate").isEqualTo(1);
    }

    @Test
    void aTokenGivenBackIsSpentAgainWithoutARequest() {
        assertThat(stock.tryTake(KEY, RATE, 1)).isZero();
        stock.giveBack(KEY);
        limiter.answer = wanted -> CompletableFuture.completedFuture(new RateLimiter.Grant(0, Duration.ofSeconds(1)));
        assertThat(stock.tryTake(KEY, RATE, 1)).isZero();
        assertThat(limiter.asked).hasSize(1);
    }

    @Test
    void whileARequestIsInFlightSuggestsAShortWaitAndTellsWhenTokensArrive() {
        var pending = new CompletableFuture<RateLimiter.Grant>();
        limiter.answer = wanted -> pending;
        assertThat(stock.tryTake(KEY, RATE, 2)).isEqualTo(TokenStock.IN_FLIGHT_WAIT);
        assertThat(stock.tryTake(KEY, RATE, 2)).isEqualTo(TokenStock.IN_FLIGHT_WAIT);
        assertThat(limiter.asked).as("one request in flight per key").hasSize(1);
        assertThat(refilled).isEmpty();

        pending.complete(new RateLimiter.Grant(2, Duration.ZERO));
        assertThat(refilled).containsExactly(KEY);
        assertThat(stock.tryTake(KEY, RATE, 2)).isZero();
    }
}
