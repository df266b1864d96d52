package dev.tern.delivery.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.EgressSource;
import dev.tern.delivery.route.NextHop;
import dev.tern.delivery.throttle.DestinationGate;
import dev.tern.delivery.throttle.ShapingKey;
import dev.tern.local.testkit.smtp.SmtpSink;
import dev.tern.smtp.client.HandshakeConfig;
import dev.tern.smtp.client.TlsPolicy;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool with {@code per-source} limits, against a real SMTP sink: an egress address the
 * destination told to slow down must not carry mail that asked for another address, even when
 * its connection comes back while that mail waits for the other address's slot (a cluster lease
 * is fetched asynchronously, so the first ask for a slot usually waits).
 */
class ConnectionPoolBackoffTest {

    private static final String SLOW = "127.0.0.3";
    private static final String OTHER = "127.0.0.2";

    /** Grants one slot to each key it is told to; backs off the keys it is told to. */
    private static final class ScriptedGate implements DestinationGate {
        final Set<ShapingKey> slots = ConcurrentHashMap.newKeySet();
        final Set<ShapingKey> suspended = ConcurrentHashMap.newKeySet();
        final List<Consumer<ShapingKey>> listeners = new CopyOnWriteArrayList<>();

        @Override
        public Optional<Slot> tryOpenConnection(ShapingKey key, DestinationPolicy policy) {
            return !suspended.contains(key) && slots.remove(key) ? Optional.of(() -> { }) : Optional.empty();
        }

        @Override
        public Duration tryReserveMessage(ShapingKey key, DestinationPolicy policy, int waiting) {
            return suspendedFor(key);
        }

        @Override
        public void unreserveMessage(ShapingKey key, DestinationPolicy policy) {
        }

        @Override
        public Duration suspendedFor(ShapingKey key) {
            return suspended.contains(key) ? Duration.ofMinutes(1) : Duration.ZERO;
        }

        @Override
        public void onCapacity(Consumer<ShapingKey> listener) {
            listeners.add(listener);
        }

        void grant(ShapingKey key) {
            slots.add(key);
            listeners.forEach(l -> l.accept(key));
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final Executor loop = task -> context.runOnContext(v -> task.run());
    private final SmtpSink sink = SmtpSink.start();
    private final ScriptedGate gate = new ScriptedGate();
    private final ShapingKey destination = ShapingKey.destination("d.test");
    private final DestinationPolicy perSource = new DestinationPolicy("d.test", null, 5, 100, null,
            DestinationPolicy.BUILT_IN.tls(), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofMinutes(1), List.of(EgressSource.unlimited(OTHER), EgressSource.unlimited(SLOW)), true);
    private final ConnectionPool.Key key = new ConnectionPool.Key("d.test", destination,
            new NextHop("mx.d.test", sink.host(), sink.port()), HandshakeConfig.smtp("me.test", TlsPolicy.NONE), null);
    private final ConnectionPool pool = onLoop(() -> new ConnectionPool(vertx, loop, new NetClients(vertx), gate,
            Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofSeconds(30), 10));

    @AfterEach
    void stop() throws Exception {
        onLoop(() -> {
            pool.closeAll();
            return null;
        });
        sink.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private <T> T onLoop(Supplier<T> work) {
        var result = new CompletableFuture<T>();
        loop.execute(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.join();
    }

    @Test
    void aConnectionOfABackedOffAddressIsNotHandedToMailWaitingForAnotherAddress() throws Exception {
        gate.slots.add(destination.from(SLOW));
        ConnectionPool.Lease slow = onLoop(() -> pool.acquire(key, perSource)).get(10, TimeUnit.SECONDS);
        assertThat(slow.key().sourceIp()).isEqualTo(SLOW);

        // The destination says "421 slow down" to SLOW; the next message can only wait for OTHER's slot.
        gate.suspended.add(destination.from(SLOW));
        CompletableFuture<ConnectionPool.Lease> waiting = onLoop(() -> pool.acquire(key, perSource));
        assertThat(waiting).isNotDone();

        onLoop(() -> {
            pool.release(slow, perSource);
            return null;
        });
        assertThat(waiting).as("SLOW's connection came back while the mail waited").isNotDone();

        gate.grant(destination.from(OTHER));
        ConnectionPool.Lease other = waiting.get(10, TimeUnit.SECONDS);
        assertThat(other.key().sourceIp()).isEqualTo(OTHER);
        assertThat(other.reused()).isFalse();
        onLoop(() -> {
            pool.release(other, perSource);
            return null;
        });
    }

    @Test
    void withoutABackoffTheReturningConnectionServesTheWaiter() throws Exception {
        gate.slots.add(destination.from(SLOW));
        ConnectionPool.Lease slow = onLoop(() -> pool.acquire(key, perSource)).get(10, TimeUnit.SECONDS);
        CompletableFuture<ConnectionPool.Lease> waiting = onLoop(() -> pool.acquire(key, perSource));
        assertThat(waiting).as("no slot left for either address").isNotDone();

        onLoop(() -> {
            pool.release(slow, perSource);
            return null;
        });
        ConnectionPool.Lease again = waiting.get(10, TimeUnit.SECONDS);
        assertThat(again.key().sourceIp()).isEqualTo(SLOW);
        assertThat(again.reused()).isTrue();
        onLoop(() -> {
            pool.release(again, perSource);
            return null;
        });
    }
}
