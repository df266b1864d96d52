package dev.tern.delivery.client;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.EgressSource;
import dev.tern.delivery.throttle.DestinationGate;
import dev.tern.delivery.throttle.ShapingKey;
import dev.tern.delivery.throttle.ShapingKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which egress address a destination's next message is sent from, for the {@link ConnectionPool}.
 *
 * <p>A destination with a {@code source-ip} or {@code source-pool} binds its connections to those
 * addresses, taken in turn per message (as KumoMTA assigns an egress source per message):
 * {@link #candidates} lists them from the next one in turn, and the pool takes the first that has
 * an idle connection or can open one. An address with limits of its own (policy {@code sources})
 * must also grant a slot under {@link ShapingKey#source} ({@link #withSourceSlot}), and the
 * connection holds both.
 *
 * <p>Where the pool's addresses have rates of their own, an address is first chosen only if its
 * rate grants the message's token at once ({@link #token}; the token is then marked on the pool's
 * lease so the sender does not take another). When none can: if the pool has an address without a
 * rate, the caller waits for a connection; otherwise any address is taken, and the message waits
 * for its token in the sender's throttle queue ({@link #passes}).
 *
 * <p>Threading: used on the pool's single context; the turn counters are not locked.
 */
public final class EgressChoice {

    /** What an address's own rate said about one message. */
    enum Token {
        /** The address has no rate of its own, or the pass does not ask for tokens. */
        NOT_NEEDED,
        /** The address's token for the message was taken. */
        TAKEN,
        /** The address's rate has no token right now. */
        REFUSED
    }

    /** Asks only for addresses whose rate has a token now. */
    private static final List<Boolean> TOKEN_ONLY = List.of(true);
    /** Asks first for addresses whose rate has a token now, then for any. */
    private static final List<Boolean> TOKEN_FIRST = List.of(true, false);
    /** Asks for any address. */
    private static final List<Boolean> ANY = List.of(false);

    private final DestinationGate gate;
    private final Map<ShapingKey, Integer> nextSource = new HashMap<>();

    EgressChoice(DestinationGate gate) {
        this.gate = gate;
    }

    /** The keys {@code key}'s mail may use, one per egress address, starting at the next address in turn. */
    List<ConnectionPool.Key> candidates(ConnectionPool.Key key, DestinationPolicy policy) {
        List<EgressSource> egress = policy.egress();
        if (egress.isEmpty()) {
            return List.of(key);
        }
        int start = Math.floorMod(nextSource.merge(key.shaping(), 1, Integer::sum), egress.size());
        var out = new ArrayList<ConnectionPool.Key>(egress.size());
        for (int i = 0; i < egress.size(); i++) {
            out.add(key.withSource(egress.get((start + i) % egress.size()).address()));
        }
        return out;
    }

    /**
     * The passes over {@code candidates} addresses, each saying whether it takes only addresses
     * whose rate grants a token at once: a slow (warming-up) address must not hold mail that
     * another address could send at once, and with an address without a rate of its own in the
     * pool the caller rather waits for a connection than for a token.
     */
    static List<Boolean> passes(DestinationPolicy policy, int candidates) {
        boolean rated = candidates > 1 && policy.egress().stream().anyMatch(s -> s.rate() != null);
        if (!rated) {
            return ANY;
        }
        return policy.egress().stream().anyMatch(s -> s.rate() == null) ? TOKEN_ONLY : TOKEN_FIRST;
    }

    /** Asks {@code source}'s own rate for the message's token when {@code withToken}; see {@link Token}. */
    Token token(EgressSource source, boolean withToken) {
        if (!withToken || source == null || source.rate() == null) {
            return Token.NOT_NEEDED;
        }
        boolean granted = gate.tryReserveMessage(ShapingKey.source(source.address()), ShapingKeys.limitsOf(source), 1)
                .isZero();
        return granted ? Token.TAKEN : Token.REFUSED;
    }

    /**
     * The token for handing a connection from {@code address} on to a waiter with {@code policy}:
     * from a pool of addresses, a rated address goes only with its token, as in the first pass.
     */
    Token handOnToken(DestinationPolicy policy, String address) {
        return token(sourceOf(policy, address), policy.egress().size() > 1);
    }

    /** Gives back a token {@link #token} took but no connection used. */
    void giveBack(EgressSource source) {
        gate.unreserveMessage(ShapingKey.source(source.address()), ShapingKeys.limitsOf(source));
    }

    /**
     * {@code destination}'s slot joined with {@code source}'s own connection slot when the address
     * limits its connections; {@code destination} alone when it does not; null when the address is
     * at its limit (the caller still holds {@code destination}).
     */
    DestinationGate.Slot withSourceSlot(DestinationGate.Slot destination, EgressSource source) {
        if (source == null || !source.limitsConnections()) {
            return destination;
        }
        return gate.tryOpenConnection(ShapingKey.source(source.address()), ShapingKeys.limitsOf(source))
                .map(bySource -> DestinationGate.Slot.both(destination, bySource)).orElse(null);
    }

    /** The egress address {@code address} of the destination's policy, or null when it binds none. */
    public static EgressSource sourceOf(DestinationPolicy policy, String address) {
        if (address == null) {
            return null;
        }
        for (EgressSource s : policy.egress()) {
            if (s.address().equals(address)) {
                return s;
            }
        }
        return null;
    }
}
