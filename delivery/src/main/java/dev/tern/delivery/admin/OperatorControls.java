package dev.tern.delivery.admin;

import dev.tern.common.policy.Transport;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.delivery.route.Reroutes;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
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
 *   <li>rerouted: the destination's mail goes {@code via} another transport, consulted by the
 *       {@code Router} before the policy's routes;</li>
 *   <li>held: a message (by queue id) is not attempted until released;</li>
 *   <li>purged: mail received up to the order that a {@link QueueSelector} matches is deleted
 *       without a DSN when a pod meets it, until the order ends;</li>
 *   <li>moved: retry-tier records whose recipients were copied to {@code tern.inbound}; a pod that
 *       meets such a record skips those recipients (docs/ARCHITECTURE.md, "Queue actions").</li>
 * </ul>
 * A destination is a recipient domain, or a route's transport; names are compared
 * case-insensitively. Thread-safe.
 */
public final class OperatorControls implements Reroutes {

    /** An operator's bounce order: its reason, and until when it holds. */
    public record Bounce(String reason, Instant until) {
    }

    /** A purge order: what it selects, the mail it covers (received up to {@code issuedAt}), until when it holds. */
    public record Purge(QueueSelector selector, Instant issuedAt, Instant until) {
    }

    private record Moved(Set<String> recipients, Instant until) {
    }

    private final Set<String> suspended = ConcurrentHashMap.newKeySet();
    private final Map<String, Bounce> bounced = new ConcurrentHashMap<>();
    private final Map<String, Transport> rerouted = new ConcurrentHashMap<>();
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final Map<String, Purge> purges = new ConcurrentHashMap<>();
    private final Map<String, Moved> moved = new ConcurrentHashMap<>();

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

    /** Sends {@code destination}'s mail {@code via} a transport; {@link Transport#MX} undoes the order. */
    public void reroute(String destination, Transport via) {
        if (via.kind() == Transport.Kind.MX) {
            rerouted.remove(normalize(destination));
        } else {
            rerouted.put(normalize(destination), via);
        }
    }

    /** The transport the operator ordered for {@code destination} (a domain or a route's name), if any. */
    @Override
    public Optional<Transport> rerouteFor(String destination) {
        if (rerouted.isEmpty() || destination == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(rerouted.get(normalize(destination)));
    }

    /** The reroute orders, by destination. */
    public Map<String, String> rerouted() {
        var out = new TreeMap<String, String>();
        rerouted.forEach((d, t) -> out.put(d, t.toString()));
        return out;
    }

    public void hold(String id) {
        held.add(id);
    }

    public void release(String id) {
        held.remove(id);
    }

    public boolean isHeld(String id) {
        return !held.isEmpty() && held.contains(id);
    }

    /** Messages held: the {@code tern_delivery_held_messages} gauge (the same on every pod). */
    public int heldCount() {
        return held.size();
    }

    public Set<String> held() {
        return Set.copyOf(held);
    }

    /** Records a purge order under its {@code key} (a later order for the same selector replaces it). */
    public void purge(String key, QueueSelector selector, Instant issuedAt, Instant until) {
        purges.put(key, new Purge(selector, issuedAt, until));
    }

    /**
     * Whether a purge order in force at {@code now} covers recipient {@code r} of {@code m}: the
     * selector matches and the message was received before the order (mail arriving later is not
     * touched, however it matches).
     *
     * @param routed the destination the recipient's domain is delivered as, or null
     */
    public boolean purged(QueuedMessage m, QueuedRecipient r, String routed, Instant now) {
        if (purges.isEmpty()) {
            return false;
        }
        for (Purge p : purges.values()) {
            if (now.isBefore(p.until()) && !m.schedule().firstReceived().isAfter(p.issuedAt())
                    && p.selector().matches(m, r, routed)) {
                return true;
            }
        }
        return false;
    }

    public boolean hasPurgeOrders() {
        return !purges.isEmpty();
    }

    /**
     * Records recipients of retry-tier records that were copied to tern.inbound, one entry
     * {@code topic/partition/offset=address} per recipient ({@link #movedEntry}).
     */
    public synchronized void moved(Collection<String> entries, Instant until) {
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                String at = entry.substring(0, eq);
                var rcpts = new java.util.HashSet<String>(List.of(entry.substring(eq + 1)));
                Moved before = moved.get(at);
                if (before != null) {
                    rcpts.addAll(before.recipients());
                }
                moved.put(at, new Moved(Set.copyOf(rcpts), until));
            }
        }
    }

    /** How one moved recipient is written in a {@code moved} order. */
    public static String movedEntry(String topic, int partition, long offset, String address) {
        return coordinates(topic, partition, offset) + "=" + address;
    }

    /** The recipients of the record at {@code topic/partition/offset} that were moved to tern.inbound (empty: none). */
    public Set<String> movedRecipients(String topic, int partition, long offset, Instant now) {
        if (moved.isEmpty()) {
            return Set.of();
        }
        Moved m = moved.get(coordinates(topic, partition, offset));
        if (m == null) {
            return Set.of();
        }
        if (!now.isBefore(m.until())) {
            moved.remove(coordinates(topic, partition, offset));
            return Set.of();
        }
        return m.recipients();
    }

    /** How a moved record is named in a {@code moved} order. */
    public static String coordinates(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    private static String normalize(String d) {
        return d.trim().toLowerCase(Locale.ROOT);
    }
}
