package dev.tern.common.suppression;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Recipient addresses that must not be mailed for a while, because mail to them failed
 * permanently (a hard bounce such as {@code 5.1.1} unknown user, {@code 5.1.2} no such domain,
 * {@code 5.1.10} null MX) or because an operator put them there (docs/ARCHITECTURE.md, "Bounces": hard bounces
 * feed a suppression list).
 *
 * <p>Contract, shared by every backend and checked by one contract test:
 * <ul>
 *   <li>Addresses are compared case-insensitively ({@link #normalize}): RFC 5321 §2.4 lets a
 *       mailbox's local part be case-sensitive, but no real mailbox depends on it, and a list that
 *       missed {@code Bob@X.org} after bouncing {@code bob@x.org} would be useless.</li>
 *   <li>An entry lasts until its {@code until} time and is then gone by itself; {@link #add} again
 *       replaces the entry (reason and expiry), so a repeated hard bounce extends it.</li>
 *   <li>{@link #add} with an {@code until} already in the past stores nothing.</li>
 *   <li>{@link #remove} reports whether an entry was there.</li>
 *   <li>Times are kept to the millisecond.</li>
 * </ul>
 *
 * <p>All operations are asynchronous and thread-safe. A failed stage means the backend could not
 * be reached; callers decide whether that matters (the bounce service counts it and carries on,
 * because a missed suppression costs one more bounce, while a stalled bounce queue costs every DSN).
 */
public interface SuppressionList {

    /** Suppresses {@code address} until {@code until}, for {@code reason} (e.g. the reply text). */
    CompletionStage<Void> add(String address, String reason, Instant until);

    /** The live entry for {@code address}, or empty. */
    CompletionStage<Optional<Entry>> lookup(String address);

    /**
     * The live entries among {@code addresses}, keyed by {@linkplain #normalize normalized}
     * address; addresses without one are absent. Backends answer it in one round trip.
     */
    default CompletionStage<Map<String, Entry>> lookupAll(Collection<String> addresses) {
        var lookups = addresses.stream().distinct().map(a -> lookup(a).toCompletableFuture()).toList();
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(v -> {
            var out = new HashMap<String, Entry>();
            lookups.forEach(l -> l.join().ifPresent(e -> out.put(e.address(), e)));
            return out;
        });
    }

    /** True when {@code address} has a live entry. */
    default CompletionStage<Boolean> isSuppressed(String address) {
        return lookup(address).thenApply(Optional::isPresent);
    }

    /**
     * Up to {@code limit} live entries, sorted by address: all of them when there are fewer, else
     * an arbitrary {@code limit} of them (the backend is not ordered). For the operator's listing.
     */
    CompletionStage<List<Entry>> list(int limit);

    /** Lifts the suppression of {@code address}; completes with whether an entry existed. */
    CompletionStage<Boolean> remove(String address);

    /** The key every backend stores an address under: trimmed and lower-cased. */
    static String normalize(String address) {
        return Objects.requireNonNull(address, "address").trim().toLowerCase(Locale.ROOT);
    }

    /**
     * One suppressed address.
     *
     * @param address the normalized address
     * @param reason  why it was suppressed, free text (typically {@code "550 5.1.1 no such user"})
     * @param added   when it was (last) added
     * @param until   when the suppression ends
     */
    record Entry(String address, String reason, Instant added, Instant until) {
        public Entry {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(added, "added");
            Objects.requireNonNull(until, "until");
            reason = reason == null ? "" : reason;
        }
    }
}
