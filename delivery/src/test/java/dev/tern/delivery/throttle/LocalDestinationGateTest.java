package dev.tern.delivery.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.Rate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalDestinationGateTest {

    private static final ShapingKey D = ShapingKey.destination("d");
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final LocalDestinationGate gate = new LocalDestinationGate(now::get);

    private static DestinationPolicy policy(int maxConnections, Rate rate) {
        var b = DestinationPolicy.BUILT_IN;
        return new DestinationPolicy("x", null, maxConnections, 2, rate, b.tls(), b.connectTimeout(),
                b.commandTimeout(), b.dataTimeout(), b.backoff(), null);
    }

    @Test
    void refusesConnectionsBeyondTheLimitUntilOneCloses() {
        var p = policy(2, null);
        var first = gate.tryOpenConnection(D, p);
        assertThat(first).isPresent();
        assertThat(gate.tryOpenConnection(D, p)).isPresent();
        assertThat(gate.tryOpenConnection(D, p)).isEmpty();
        assertThat(gate.tryOpenConnection(ShapingKey.destination("other"), p)).isPresent();
        first.get().release();
        first.get().release();
        assertThat(gate.openConnections(D)).as("release is idempotent").isEqualTo(1);
        assertThat(gate.tryOpenConnection(D, p)).isPresent();
    }

    @Test
    void spacesMessagesByTheRatesEmissionInterval() {
        var p = policy(10, Rate.parse("10/s"));
        assertThat(gate.tryReserveMessage(D, p, 1)).isZero();
        assertThat(gate.tryReserveMessage(D, p, 1)).isEqualTo(Duration.ofMillis(100));
        now.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(gate.tryReserveMessage(D, p, 1)).isZero();
    }

    @Test
    void anUnusedTokenGivenBackCanBeTakenAgain() {
        var p = policy(10, Rate.parse("10/s"));
        assertThat(gate.tryReserveMessage(D, p, 1)).isZero();
        gate.unreserveMessage(D, p);
        assertThat(gate.tryReserveMessage(D, p, 1)).isZero();
        assertThat(gate.tryReserveMessage(D, p, 1)).as("only one was given back").isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void unlimitedRateNeverWaits() {
        var p = policy(10, null);
        for (int i = 0; i < 1000; i++) {
            assertThat(gate.tryReserveMessage(D, p, 1)).isZero();
        }
    }

    @Test
    void closesConnectionsAfterMaxMessagesPerConnection() {
        var p = policy(10, null);
        assertThat(gate.mayReuse(1, p)).isTrue();
        assertThat(gate.mayReuse(2, p)).isFalse();
    }
}
