package dev.tern.delivery.throttle;

import dev.tern.common.shaping.ConnectionLeases;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * This pod's part of one shaping key's connection slots when pods compete for them (issue 6).
 *
 * <p>Leases go to whoever asks first, so a pod that starts sending first could take every slot
 * of a destination while another pod's mail for it waits. A refused request marks the key wanted
 * and, when the asker holds less than its fair share ({@code max-connections / live pods}, rounded
 * up: {@link #starved}), starved with the number it holds. The holders read the marks
 * ({@link #demand}): for a wanted key, idle connections close early; for each new starved mark, a
 * pod holding {@code n} more leases than the starved asker gives {@code n / 2} up (counting those
 * already giving way as the asker's), so the two end up even; and while the mark lasts it asks for
 * no lease that would put it further ahead ({@link #mayAsk}). Only the asker's own count is
 * needed, so stale pod counts cannot stop a pod giving way. Without contention a pod may hold all
 * of a key's slots.
 *
 * <p>Thread-safe: counts change under this object's lock; the polled marks are volatile.
 */
final class FairShare {

    /** The key's {@code max-connections}, as last asked for. */
    private volatile int max = 1;
    /** Leases of this key held here (in use or parked), and those of them giving way. */
    private int holding;
    private int yielding;
    /** How many more leases are still to give way to the latest starved mark. */
    private int toGive;
    /** The latest starved mark acted on. */
    private String actedOn;
    /** Someone was refused a lease of this key lately (polled). */
    private volatile boolean wanted;
    /** How many leases the latest starved asker held, or -1 without a starved mark (polled). */
    private volatile int starvedHolds = -1;

    /** Records the key's current {@code max-connections}. */
    void max(int maxConnections) {
        this.max = maxConnections;
    }

    /** This pod's fair share: {@code max / pods}, rounded up. */
    int share(int pods) {
        int p = Math.max(1, pods);
        return (max + p - 1) / p;
    }

    synchronized int holding() {
        return holding;
    }

    /** False while a starved pod holding fewer leases than this one waits: leave it the next free slot. */
    boolean mayAsk() {
        int starved = starvedHolds;
        return starved < 0 || holding() <= starved;
    }

    /** What to tell the backend with a lease request: how many this pod holds when that is below its share. */
    OptionalInt starved(int pods) {
        int h = holding();
        return h < share(pods) ? OptionalInt.of(h) : OptionalInt.empty();
    }

    /** Someone was refused a lease of this key lately. */
    boolean wanted() {
        return wanted;
    }

    /** A lease of this key is held here from now on: its standing in the share. */
    synchronized Member join() {
        holding++;
        return new Member();
    }

    /** {@code m}'s lease is no longer held; once. */
    synchronized void leave(Member m) {
        if (!m.counted) {
            return;
        }
        m.counted = false;
        holding--;
        if (m.yielding) {
            yielding--;
        }
    }

    /** Nobody here holds the key any more: its marks are no longer read. */
    void forget() {
        wanted = false;
        starvedHolds = -1;
    }

    /**
     * Takes in the key's latest marks; for a starved mark not acted on yet, works out how many
     * leases to give up ({@link #giveOne}, {@link #surplus}).
     */
    void demand(ConnectionLeases.Demand d) {
        wanted = d.wanted();
        starvedHolds = d.starved().orElse(-1);
        synchronized (this) {
            if (d.starved().isEmpty()) {
                toGive = 0;
                return;
            }
            if (d.mark().equals(actedOn)) {
                return;
            }
            actedOn = d.mark();
            // Even out with the asker, counting the connections still closing as its already.
            toGive = Math.max(0, (holding - 2 * yielding - d.starved().getAsInt()) / 2);
        }
    }

    /**
     * One more lease to give way, if any is still to: {@code parked()} (a parked lease, to be
     * released at once), or null when none is to give way or none is parked.
     */
    synchronized <T> T giveOne(Supplier<T> parked) {
        if (toGive <= 0) {
            return null;
        }
        T lease = parked.get();
        if (lease != null) {
            toGive--;
        }
        return lease;
    }

    /**
     * Whether {@code m}'s lease, in use, gives way: chosen when more are still to give way, then
     * its connection gives it up after the current message. Once true, stays true.
     */
    synchronized boolean surplus(Member m) {
        if (!m.yielding && toGive > 0 && m.counted) {
            toGive--;
            m.yielding = true;
            yielding++;
        }
        return m.yielding;
    }

    /** One held lease's standing (guarded by its {@link FairShare}). */
    static final class Member {
        private boolean counted = true;
        private boolean yielding;
    }
}
