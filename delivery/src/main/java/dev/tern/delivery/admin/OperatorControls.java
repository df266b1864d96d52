package dev.tern.delivery.admin;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operator has ordered for destinations on this pod (applied from {@code tern.control},
 * so every pod holds the same state):
 * <ul>
 *   <li><b>suspended</b>: mail is not attempted; its recipients are deferred with {@code 451 4.4.5}
 *       to a retry tier and picked up again after {@code resume};</li>
 *   <li><b>bounced</b> until an instant: every recipient of the destination that comes up for
 *       delivery, queued before or received after the order, fails with {@code 550 5.7.1} and the
 *       operator's reason, and its sender gets a DSN (KumoMTA's {@code kcli bounce}). Mail waiting
 *       in a retry tier is bounced when it comes due, so the order should outlast the longest
 *       tier. A bounce outranks a suspension.</li>
 * </ul>
 * A destination is a recipient domain, or a route's transport; names are compared
 * case-insensitively. Thread-safe.
 */
public final class OperatorControls {

    /** An operator's bounce order: its reason, and until when it holds. */
    public record Bounce(String reason, Instant until) {
    }

    private final Set<String> suspended = ConcurrentHashMap.newKeySet();
    private final Map<String, Bounce> bounced = new ConcurrentHashMap<>();

    public void suspend(String destination) {
        suspended.add(normalize(destination));
    }

    public void resume(String destination) {
        suspended.remove(normalize(destination));
    }

    public boolean isSuspended(String destination) {
        return !suspended.isEmpty() && suspended.contains(normalize(destination));
    }

    public Set<String> suspended() {
        return Set.copyOf(suspended);
    }

    public void bounce(String destination, String reason, Instant until) {
        bounced.put(normalize(destination), new Bounce(reason, until));
    }

    public void cancelBounce(String destination) {
        bounced.remove(normalize(destination));
    }

    /** Whether any bounce order was given (in force or ended): the send path's check before it looks per recipient. */
    public boolean hasBounceOrders() {
        return !bounced.isEmpty();
    }

    /** The bounce order in force for {@code destination} at {@code now}, if any. */
    public Optional<Bounce> bounceFor(String destination, Instant now) {
        if (bounced.isEmpty() || destination == null) {
            return Optional.empty();
        }
        Bounce b = bounced.get(normalize(destination));
        return b != null && now.isBefore(b.until()) ? Optional.of(b) : Optional.empty();
    }

    /** The bounce orders in force at {@code now}, by destination. */
    public Map<String, Bounce> bounced(Instant now) {
        var out = new TreeMap<String, Bounce>();
        bounced.forEach((d, b) -> {
            if (now.isBefore(b.until())) {
                out.put(d, b);
            }
        });
        return out;
    }

    private static String normalize(String d) {
        return d.trim().toLowerCase(Locale.ROOT);
    }
}
