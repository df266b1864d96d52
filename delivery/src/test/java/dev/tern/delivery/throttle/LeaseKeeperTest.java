package dev.tern.delivery.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.shaping.InMemoryConnectionLeases;
import dev.tern.delivery.throttle.DestinationGate.Slot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lease keeper over in-memory leases on a clock the test moves; renewals and demand polls are
 * run by the test (the TTL is long enough that the keeper's own timer never fires).
 */
class LeaseKeeperTest {

    private static final Duration TTL = Duration.ofHours(3);
    private static final ShapingKey KEY = ShapingKey.destination("d.test");

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final MovingClock clock = new MovingClock();
    private final InMemoryConnectionLeases backend = new InMemoryConnectionLeases(clock);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<ShapingKey> leased = new ArrayList<>();
    private final List<LeaseKeeper> keepers = new ArrayList<>();

    private LeaseKeeper pod() {
        var k = new LeaseKeeper(backend, TTL, timer, () -> 2, leased::add, System::nanoTime);
        keepers.add(k);
        return k;
    }

    @AfterEach
    void stop() {
        keepers.forEach(LeaseKeeper::close);
        timer.shutdownNow();
    }

    @Test
    void grantsUpToTheCapAndTellsWhenALeaseIsParked() {
        var keeper = pod();
        assertThat(keeper.tryOpen(KEY, 2)).isPresent();
        assertThat(keeper.tryOpen(KEY, 2)).isPresent();
        assertThat(leased).containsExactly(KEY, KEY);
        assertThat(pod().tryOpen(KEY, 2)).as("the backend's cap holds for every keeper").isEmpty();
        assertThat(keeper.held()).isEqualTo(2);
    }

    @Test
    void aParkedLeaseNobodyTakesForARenewPeriodIsGivenUp() {
        var keeper = pod();
        keeper.tryOpen(KEY, 1).orElseThrow().unused();

        keeper.renewAll();
        assertThat(keeper.held()).as("parked for less than a renew period").isEqualTo(1);
        keeper.renewAll();
        assertThat(keeper.held()).isZero();
        assertThat(pod().tryOpen(KEY, 1)).as("the slot is free for another pod").isPresent();
    }

    @Test
    void anUnusedSlotIsTakenAgainFromTheParking() {
        var keeper = pod();
        Slot slot = keeper.tryOpen(KEY, 1).orElseThrow();
        slot.unused();
        assertThat(keeper.tryOpen(KEY, 1)).containsSame(slot);
    }

    @Test
    void aLeaseThatExpiredBeforeItsRenewalIsRevoked() {
        var keeper = pod();
        Slot slot = keeper.tryOpen(KEY, 1).orElseThrow();
        clock.now = clock.now.plus(TTL).plusSeconds(1);

        keeper.renewAll();

        assertThat(slot.revoked()).isTrue();
        assertThat(keeper.held()).isZero();
    }

    @Test
    void aStarvedPodGetsHalfTheDifferenceFromTheParkedLeases() {
        var holder = pod();
        var slots = List.of(holder.tryOpen(KEY, 2).orElseThrow(), holder.tryOpen(KEY, 2).orElseThrow());
        slots.forEach(Slot::unused);
        var starved = pod();
        assertThat(starved.tryOpen(KEY, 2)).isEmpty();

        holder.pollDemand();

        assertThat(holder.held()).as("two against none: one given up").isEqualTo(1);
        assertThat(slots).allMatch(Slot::wanted);
        assertThat(holder.tryOpen(KEY, 2)).as("the one left").isPresent();
        assertThat(holder.tryOpen(KEY, 2)).as("no new lease while the other pod starves").isEmpty();
    }
}
