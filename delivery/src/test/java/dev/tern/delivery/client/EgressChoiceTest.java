package dev.tern.delivery.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.EgressSource;
import dev.tern.common.policy.Rate;
import dev.tern.delivery.client.EgressChoice.Token;
import dev.tern.delivery.route.NextHop;
import dev.tern.delivery.throttle.DestinationGate;
import dev.tern.delivery.throttle.ShapingKey;
import dev.tern.smtp.client.HandshakeConfig;
import dev.tern.smtp.client.TlsPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EgressChoiceTest {

    /** A gate that grants tokens and slots only to the keys it is told to, and records what it is given back. */
    private static final class ScriptedGate implements DestinationGate {
        final Set<ShapingKey> tokens = new HashSet<>();
        final Set<ShapingKey> slots = new HashSet<>();
        final List<ShapingKey> givenBack = new ArrayList<>();
        final List<ShapingKey> released = new ArrayList<>();

        @Override
        public Optional<Slot> tryOpenConnection(ShapingKey key, DestinationPolicy policy) {
            return slots.contains(key) ? Optional.of(() -> released.add(key)) : Optional.empty();
        }

        @Override
        public Duration tryReserveMessage(ShapingKey key, DestinationPolicy policy, int waiting) {
            return tokens.contains(key) ? Duration.ZERO : Duration.ofSeconds(1);
        }

        @Override
        public void unreserveMessage(ShapingKey key, DestinationPolicy policy) {
            givenBack.add(key);
        }
    }

    private static final EgressSource A = new EgressSource("192.0.2.1", 0, Rate.parse("10/s"));
    private static final EgressSource B = new EgressSource("192.0.2.2", 2, Rate.parse("10/s"));
    private static final EgressSource FREE = EgressSource.unlimited("192.0.2.3");

    private final ScriptedGate gate = new ScriptedGate();
    private final EgressChoice choice = new EgressChoice(gate);
    private final ConnectionPool.Key key = new ConnectionPool.Key("d.test", ShapingKey.destination("d.test"),
            new NextHop("mx.d.test", "127.0.0.1", 25), HandshakeConfig.smtp("me.test", TlsPolicy.NONE), null);

    private static DestinationPolicy sending(EgressSource... egress) {
        var b = DestinationPolicy.BUILT_IN;
        return new DestinationPolicy("d.test", null, 5, 100, null, b.tls(), b.connectTimeout(), b.commandTimeout(),
                b.dataTimeout(), b.backoff(), List.of(egress));
    }

    @Test
    void takesTheAddressesInTurnOneMoreEachMessage() {
        var p = sending(A, B, FREE);
        var first = choice.candidates(key, p).stream().map(ConnectionPool.Key::sourceIp).toList();
        var second = choice.candidates(key, p).stream().map(ConnectionPool.Key::sourceIp).toList();

        assertThat(first).containsExactlyInAnyOrder(A.address(), B.address(), FREE.address());
        assertThat(second).as("the next message starts at the next address")
                .containsExactly(first.get(1), first.get(2), first.get(0));
        assertThat(choice.candidates(key, sending())).as("no egress: the system's choice").containsExactly(key);
    }

    @Test
    void asksForTokensFirstOnlyWhereAddressesOfAPoolHaveRates() {
        assertThat(EgressChoice.passes(sending(FREE, EgressSource.unlimited("192.0.2.4")), 2)).containsExactly(false);
        assertThat(EgressChoice.passes(sending(A), 1)).as("one address: nothing to choose").containsExactly(false);
        assertThat(EgressChoice.passes(sending(A, B), 2)).containsExactly(true, false);
        assertThat(EgressChoice.passes(sending(A, FREE), 2)).as("rather wait for the unrated address's connection")
                .containsExactly(true);
    }

    @Test
    void takesAnAddressesTokenOnlyWhenThePassAsksAndItsRateHasOne() {
        assertThat(choice.token(A, false)).isEqualTo(Token.NOT_NEEDED);
        assertThat(choice.token(FREE, true)).isEqualTo(Token.NOT_NEEDED);
        assertThat(choice.token(null, true)).isEqualTo(Token.NOT_NEEDED);
        assertThat(choice.token(A, true)).isEqualTo(Token.REFUSED);
        gate.tokens.add(ShapingKey.source(A.address()));
        assertThat(choice.token(A, true)).isEqualTo(Token.TAKEN);

        choice.giveBack(A);
        assertThat(gate.givenBack).containsExactly(ShapingKey.source(A.address()));
    }

    @Test
    void handsAConnectionOnWithItsTokenOnlyFromAPool() {
        assertThat(choice.handOnToken(sending(A), A.address())).isEqualTo(Token.NOT_NEEDED);
        assertThat(choice.handOnToken(sending(A, B), A.address())).isEqualTo(Token.REFUSED);
        assertThat(choice.handOnToken(sending(A, B), "198.51.100.1")).as("not one of the policy's addresses")
                .isEqualTo(Token.NOT_NEEDED);
    }

    @Test
    void holdsTheAddressesOwnSlotBesideTheDestinationsWhenItCapsConnections() {
        List<String> destinationReleased = new ArrayList<>();
        DestinationGate.Slot destination = () -> destinationReleased.add("d");

        assertThat(choice.withSourceSlot(destination, A)).as("A has no cap of its own").isSameAs(destination);
        assertThat(choice.withSourceSlot(destination, null)).isSameAs(destination);
        assertThat(choice.withSourceSlot(destination, B)).as("B at its cap").isNull();

        gate.slots.add(ShapingKey.source(B.address()));
        DestinationGate.Slot both = choice.withSourceSlot(destination, B);
        both.release();
        assertThat(destinationReleased).containsExactly("d");
        assertThat(gate.released).containsExactly(ShapingKey.source(B.address()));
    }
}
