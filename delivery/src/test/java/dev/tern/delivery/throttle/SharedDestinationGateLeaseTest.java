package dev.tern.delivery.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.shaping.ConnectionLeases;
import dev.tern.common.shaping.InMemoryBackoff;
import dev.tern.common.shaping.InMemoryConnectionLeases;
import dev.tern.common.shaping.InMemoryRateLimiter;
import dev.tern.delivery.metrics.ShapingMetrics;
import dev.tern.delivery.support.Eventually;
import dev.tern.delivery.throttle.DestinationGate.Slot;
import dev.tern.smtp.reply.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lease handling and backoff of {@link SharedDestinationGate}, over the in-memory backends. */
class SharedDestinationGateLeaseTest {

    private static final Duration TTL = Duration.ofMillis(300);
    private static final ShapingKey D = ShapingKey.destination("d");
    private static final ShapingKey SLOW = ShapingKey.destination("slow.test");
    private static final ShapingKey DOWN = ShapingKey.destination("down.test");

    /** In-memory leases whose renewals can be made to fail, as when another pod took an expired slot. */
    private static final class FlakyLeases implements ConnectionLeases {
        final InMemoryConnectionLeases leases = new InMemoryConnectionLeases(Clock.systemUTC());
        volatile boolean renewFails;
        /** Counted so a test waits for the gate's timer to have run, not for a guessed time. */
        final AtomicInteger renewals = new AtomicInteger();
        final AtomicInteger demandPolls = new AtomicInteger();

        @Override
        public CompletionStage<Optional<Lease>> tryAcquire(String key, int max, Duration ttl, java.util.OptionalInt starved) {
            return leases.tryAcquire(key, max, ttl, starved).thenApply(l -> l.map(lease -> new Lease() {
                @Override
                public String key() {
                    return lease.key();
                }

                @Override
                public CompletionStage<Boolean> renew() {
                    renewals.incrementAndGet();
                    return renewFails ? CompletableFuture.completedFuture(false) : lease.renew();
                }

                @Override
                public CompletionStage<Void> release() {
                    return lease.release();
                }
            }));
        }

        @Override
        public CompletionStage<Map<String, Demand>> demand(Collection<String> keys) {
            demandPolls.incrementAndGet();
            return leases.demand(keys);
        }
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FlakyLeases leases = new FlakyLeases();
    private final ShapingMetrics metrics = new ShapingMetrics(registry, () -> false);
    private final AdaptiveBackoff backoff = new AdaptiveBackoff(new InMemoryBackoff(Duration.ofMinutes(5),
            Clock.systemUTC()), Duration.ofMinutes(1), 3, Duration.ofSeconds(1), Clock.systemUTC(), metrics);

    private final SharedDestinationGate gate = pod();

    /** A gate on the same backends, as another of two delivery pods would have. */
    private SharedDestinationGate pod() {
        return new SharedDestinationGate(new InMemoryRateLimiter(Duration.ofMillis(200), Clock.systemUTC()), leases,
                backoff, TTL, Duration.ofMillis(200), timer, metrics, () -> 2);
    }

    /** Waits (up to a busy machine's worst case) for the gate's timer to make {@code condition} true. */
    private static boolean await(BooleanSupplier condition) {
        return Eventually.await(Duration.ofSeconds(15), condition::getAsBoolean, done -> done);
    }

    /** Waits until the gate's demand poll has run {@code polls} more times than it had. */
    private void awaitDemandPolls(int polls) {
        int target = leases.demandPolls.get() + polls;
        assertThat(await(() -> leases.demandPolls.get() >= target)).as("demand polled").isTrue();
    }

    @AfterEach
    void stop() {
        gate.close();
        timer.shutdownNow();
    }

    private static DestinationPolicy policy(int maxConnections) {
        var b = DestinationPolicy.BUILT_IN;
        return new DestinationPolicy("d", null, maxConnections, 100, null, b.tls(), b.connectTimeout(),
                b.commandTimeout(), b.dataTimeout(), Duration.ofSeconds(30), null);
    }

    @Test
    void capsConnectionsAndKeepsLeasesAliveByRenewing() throws Exception {
        var p = policy(2);
        var first = gate.tryOpenConnection(D, p);
        var second = gate.tryOpenConnection(D, p);
        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(gate.tryOpenConnection(D, p)).isEmpty();
        // Three TTLs later the leases still hold: they were renewed every TTL / 3. The renewals are
        // the clock here: nine each is three TTLs.
        long threeTtls = System.nanoTime() + TTL.multipliedBy(3).toNanos();
        assertThat(await(() -> leases.renewals.get() >= 2 * 9 && System.nanoTime() >= threeTtls))
                .as("renewed for three TTLs").isTrue();
        assertThat(gate.tryOpenConnection(D, p)).isEmpty();
        assertThat(first.get().revoked()).isFalse();
        assertThat(registry.get("tern.delivery.leases.held").gauge().value()).isEqualTo(2.0);

        first.get().release();
        assertThat(gate.tryOpenConnection(D, p)).as("the released slot").isPresent();
    }

    @Test
    void anUnusedSlotIsParkedForTheNextCallerRatherThanGivenUp() {
        var p = policy(1);
        var slot = gate.tryOpenConnection(D, p).orElseThrow();

        slot.unused();

        assertThat(gate.leasesHeld()).isEqualTo(1);
        assertThat(gate.tryOpenConnection(D, p)).as("the same lease, from the parking").isPresent();
    }

    @Test
    void aSlotIsWantedOnceAnotherPodIsRefusedItsKey() throws Exception {
        var p = policy(1);
        var slot = gate.tryOpenConnection(D, p).orElseThrow();
        awaitDemandPolls(2);
        assertThat(slot.wanted()).as("nobody else asked").isFalse();
        try (var otherPod = pod()) {
            assertThat(otherPod.tryOpenConnection(D, p)).isEmpty();

            assertThat(await(slot::wanted)).as("learnt with the next demand poll").isTrue();
            assertThat(slot.surplus()).as("one slot of one is this pod's fair share").isFalse();
        }
    }

    @Test
    void aPodAboveItsFairShareGivesWayToAStarvedOne() throws Exception {
        var p = policy(3);
        List<DestinationGate.Slot> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(gate.tryOpenConnection(D, p).orElseThrow());
        }
        awaitDemandPolls(2);
        assertThat(mine).as("nobody else wants the key: all three are this pod's").noneMatch(Slot::surplus);
        try (var otherPod = pod()) {
            assertThat(otherPod.tryOpenConnection(D, p)).as("all three slots are held").isEmpty();
            assertThat(await(() -> mine.stream().anyMatch(Slot::surplus))).as("the other pod's demand seen")
                    .isTrue();

            // Three held against a share of two (3 slots over 2 pods): exactly one gives way.
            assertThat(mine.stream().filter(Slot::surplus).count()).isEqualTo(1);
            DestinationGate.Slot surplus = mine.stream().filter(Slot::surplus).findFirst().orElseThrow();
            surplus.release();
            assertThat(gate.tryOpenConnection(D, p)).as("no lease beyond the share while the other starves")
                    .isEmpty();
            Optional<Slot> freed = Optional.empty();
            for (int i = 0; i < 50 && freed.isEmpty(); i++) {
                Thread.sleep(20); // a refused pod asks again after a pause
                freed = otherPod.tryOpenConnection(D, p);
            }
            assertThat(freed).as("the freed slot goes to the starved pod").isPresent();
        }
    }

    @Test
    void revokesASlotWhoseLeaseCannotBeRenewed() throws Exception {
        var slot = gate.tryOpenConnection(D, policy(1));
        assertThat(slot).isPresent();
        leases.renewFails = true;
        assertThat(await(() -> slot.get().revoked())).as("closes after the current message").isTrue();
        assertThat(gate.leasesHeld()).isZero();
    }

    @Test
    void backsOffAfterA421AndAfterRepeatedConnectionFailures() {
        var p = policy(5);
        gate.replied(SLOW, "mx", p, Reply.of(421, "4.7.0", "Too many connections"));
        assertThat(gate.suspendedFor(SLOW)).isGreaterThan(Duration.ofSeconds(25));
        assertThat(gate.tryOpenConnection(SLOW, p)).isEmpty();
        assertThat(registry.get("tern.delivery.destination.backoff").tag("destination_class", "mx").gauge().value())
                .isEqualTo(1.0);

        Reply refused = Reply.of(451, "4.4.1", "Cannot connect");
        gate.connectFailed(DOWN, "mx", p, refused);
        gate.connectFailed(DOWN, "mx", p, refused);
        gate.replied(DOWN, "mx", p, Reply.of(250, "2.0.0", "Ok"));
        gate.connectFailed(DOWN, "mx", p, refused);
        gate.connectFailed(DOWN, "mx", p, refused);
        assertThat(gate.suspendedFor(DOWN)).as("a success resets the run").isZero();
        gate.connectFailed(DOWN, "mx", p, refused);
        assertThat(gate.suspendedFor(DOWN)).isGreaterThan(Duration.ZERO);
    }
}
