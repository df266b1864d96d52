package dev.tern.common.shaping;

import static dev.tern.common.shaping.ShapingTestSupport.eventually;
import static dev.tern.common.shaping.ShapingTestSupport.uniqueKey;
import static dev.tern.common.shaping.ShapingTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.shaping.ConnectionLeases.Demand;
import dev.tern.common.shaping.ConnectionLeases.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ConnectionLeases} backend must show. For a shared backend each
 * {@link #newClient()} is a separate connection, as another pod would have; for the in-memory
 * one, the same instance.
 */
abstract class ConnectionLeasesContract {

    static final Duration LONG_TTL = Duration.ofSeconds(30);
    static final Duration SHORT_TTL = Duration.ofMillis(800);

    protected abstract ConnectionLeases newClient();

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void grantsUpToMaxThenRefuses() {
        ConnectionLeases leases = newClient();
        String key = uniqueKey("max");

        for (int i = 0; i < 3; i++) {
            assertThat(await(leases.tryAcquire(key, 3, LONG_TTL, OptionalInt.empty()))).isPresent();
        }
        assertThat(await(leases.tryAcquire(key, 3, LONG_TTL, OptionalInt.empty()))).isEmpty();
    }

    @Test
    void aRefusalMarksTheKeyWantedForTheHolderUntilTheTtlPasses() {
        String key = uniqueKey("wanted");
        String other = uniqueKey("other");
        ConnectionLeases holder = newClient();
        await(holder.tryAcquire(key, 1, SHORT_TTL, OptionalInt.empty())).orElseThrow();
        assertThat(await(holder.demand(List.of(key)))).as("nobody asked yet").isEmpty();

        assertThat(await(newClient().tryAcquire(key, 1, SHORT_TTL, OptionalInt.empty()))).isEmpty();

        Map<String, Demand> demand = awaitMarked(holder, key, other);
        assertThat(demand).as("another client was refused, below no fair share")
                .containsExactly(Map.entry(key, new Demand(true, OptionalInt.empty(), null)));
        assertThat(eventually(() -> await(holder.demand(List.of(key))), Map::isEmpty))
                .as("the mark lasts one TTL").isEmpty();
    }

    @Test
    void aRefusalBelowTheFairShareMarksTheKeyStarved() {
        String key = uniqueKey("starved");
        ConnectionLeases holder = newClient();
        await(holder.tryAcquire(key, 1, SHORT_TTL, OptionalInt.empty())).orElseThrow();

        assertThat(await(newClient().tryAcquire(key, 1, SHORT_TTL, OptionalInt.of(0)))).isEmpty();

        // The wanted and starved marks are two writes: wait for the starved one, not just the key.
        Demand demand = eventually(() -> await(holder.demand(List.of(key))).get(key),
                d -> d != null && d.starved().isPresent());
        assertThat(demand.starved()).as("holding none of the key's leases").hasValue(0);
        assertThat(demand.mark()).isNotNull();

        sleep(SHORT_TTL.toMillis() / 3 + 50);
        assertThat(await(newClient().tryAcquire(key, 1, SHORT_TTL, OptionalInt.of(0)))).isEmpty();
        String next = eventually(() -> {
            Demand now = await(holder.demand(List.of(key))).get(key);
            return now == null ? null : now.mark();
        }, mark -> mark != null && !mark.equals(demand.mark()));
        assertThat(next).as("a later refusal is a new mark").isNotEqualTo(demand.mark());
    }

    /** The demand for {@code keys} once {@code marked} shows (the mark is written just after the refusal). */
    private static Map<String, Demand> awaitMarked(ConnectionLeases client, String marked, String... others) {
        List<String> keys = new ArrayList<>(List.of(others));
        keys.add(marked);
        return eventually(() -> await(client.demand(keys)), demand -> demand.containsKey(marked));
    }

    @Test
    void releaseFreesTheSlotForAnotherClient() {
        String key = uniqueKey("release");
        Lease held = await(newClient().tryAcquire(key, 1, LONG_TTL, OptionalInt.empty())).orElseThrow();
        ConnectionLeases other = newClient();
        assertThat(await(other.tryAcquire(key, 1, LONG_TTL, OptionalInt.empty()))).isEmpty();

        await(held.release());

        assertThat(await(other.tryAcquire(key, 1, LONG_TTL, OptionalInt.empty()))).isPresent();
    }

    @Test
    void expiredLeaseOfASilentHolderFreesItsSlot() {
        String key = uniqueKey("ttl");
        Lease silent = await(newClient().tryAcquire(key, 1, SHORT_TTL, OptionalInt.empty())).orElseThrow();
        ConnectionLeases other = newClient();
        assertThat(await(other.tryAcquire(key, 1, SHORT_TTL, OptionalInt.empty()))).isEmpty();

        assertThat(eventually(() -> await(other.tryAcquire(key, 1, LONG_TTL, OptionalInt.empty())),
                Optional::isPresent)).as("the slot, once the silent holder's TTL passed").isPresent();
        assertThat(await(silent.renew())).as("the expired holder learns it lost the slot").isFalse();
    }

    @Test
    void renewKeepsTheLeasePastItsFirstTtl() {
        // Margins of a second either way, so a busy machine's pauses do not decide the outcome.
        Duration ttl = Duration.ofSeconds(2);
        String key = uniqueKey("renew");
        ConnectionLeases other = newClient();
        long start = System.nanoTime();
        Lease lease = await(newClient().tryAcquire(key, 1, ttl, OptionalInt.empty())).orElseThrow();

        sleep(ttl.toMillis() / 2);
        assertThat(await(lease.renew())).isTrue();
        long pastFirstTtl = start + ttl.toNanos() + Duration.ofMillis(200).toNanos();
        sleep(Math.max(0, (pastFirstTtl - System.nanoTime()) / 1_000_000));

        assertThat(await(other.tryAcquire(key, 1, ttl, OptionalInt.empty()))).isEmpty();
        assertThat(await(lease.renew())).isTrue();
    }

    @Test
    void releasedLeaseCannotBeRenewed() {
        Lease lease = await(newClient().tryAcquire(uniqueKey("released"), 2, LONG_TTL, OptionalInt.empty())).orElseThrow();

        await(lease.release());
        await(lease.release());

        assertThat(await(lease.renew())).isFalse();
    }

    @Test
    void neverExceedsMaxUnderConcurrentCallers() throws Exception {
        String key = uniqueKey("concurrent");
        int max = 3;
        AtomicInteger open = new AtomicInteger();
        AtomicInteger highest = new AtomicInteger();
        LongAdder acquired = new LongAdder();
        long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();

        List<Thread> threads = new ArrayList<>();
        for (ConnectionLeases client : List.of(newClient(), newClient())) {
            for (int i = 0; i < 3; i++) {
                Thread thread = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        Optional<Lease> lease = await(client.tryAcquire(key, max, LONG_TTL, OptionalInt.empty()));
                        if (lease.isEmpty()) {
                            sleep(2);
                            continue;
                        }
                        acquired.increment();
                        highest.accumulateAndGet(open.incrementAndGet(), Math::max);
                        sleep(5);
                        // Count the connection closed before giving the slot back, as a holder would.
                        open.decrementAndGet();
                        await(lease.get().release());
                    }
                });
                thread.start();
                threads.add(thread);
            }
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(highest.get()).isLessThanOrEqualTo(max);
        assertThat(acquired.sum()).isGreaterThan(10);
    }
}
