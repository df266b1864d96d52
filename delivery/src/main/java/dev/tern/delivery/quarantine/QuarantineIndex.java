package dev.tern.delivery.quarantine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The messages currently held in {@code tern.quarantine}, as this pod has read them: the latest
 * record per queue id, gone after its tombstone (release or delete) or once older than the
 * retention (Kafka deletes the segment without a tombstone, so the index ages entries out itself).
 *
 * <p>Bounded: past {@code maxEntries} the oldest entry is dropped from the index (not from Kafka),
 * so a flood of held mail costs a pod a fixed amount of memory; {@link #dropped()} counts them.
 * Thread-safe: the follower writes while HTTP requests read.
 */
public final class QuarantineIndex {

    private static final Comparator<QuarantinedMessage> OLDEST_FIRST =
            Comparator.comparing(QuarantinedMessage::quarantinedAt).thenComparing(QuarantinedMessage::id);

    private final Duration retention;
    private final int maxEntries;
    private final Map<String, QuarantinedMessage> byId = new HashMap<>();
    private final TreeSet<QuarantinedMessage> byAge = new TreeSet<>(OLDEST_FIRST);
    private long dropped;

    public QuarantineIndex(Duration retention, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("tern.quarantine.max-indexed must be at least 1");
        }
        this.retention = retention;
        this.maxEntries = maxEntries;
    }

    /** A record for {@code m.id()}: it replaces what the index had for that id. */
    public synchronized void put(QuarantinedMessage m) {
        remove(m.id());
        byId.put(m.id(), m);
        byAge.add(m);
        while (byId.size() > maxEntries) {
            QuarantinedMessage oldest = byAge.pollFirst();
            byId.remove(oldest.id());
            dropped++;
        }
    }

    /** A tombstone for {@code id}, or this pod released or deleted it: no longer held. */
    public synchronized void remove(String id) {
        QuarantinedMessage old = byId.remove(id);
        if (old != null) {
            byAge.remove(old);
        }
    }

    /** The held message {@code id}, unless unknown or past its retention at {@code now}. */
    public synchronized Optional<QuarantinedMessage> find(String id, Instant now) {
        expire(now);
        return Optional.ofNullable(byId.get(id));
    }

    /** Up to {@code limit} held messages that match {@code filter}, newest first. */
    public synchronized List<QuarantinedMessage> list(QuarantineFilter filter, int limit, Instant now) {
        expire(now);
        var out = new ArrayList<QuarantinedMessage>(Math.min(limit, byId.size()));
        for (QuarantinedMessage m : byAge.descendingSet()) {
            if (out.size() >= limit) {
                break;
            }
            if (filter.matches(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /** Messages held at {@code now}: the {@code tern_quarantine_messages} gauge. */
    public synchronized int held(Instant now) {
        expire(now);
        return byId.size();
    }

    /** Entries dropped because the index was full since this pod started. */
    public synchronized long dropped() {
        return dropped;
    }

    private void expire(Instant now) {
        Instant cutoff = now.minus(retention);
        while (!byAge.isEmpty() && byAge.first().quarantinedAt().isBefore(cutoff)) {
            byId.remove(byAge.pollFirst().id());
        }
    }
}
