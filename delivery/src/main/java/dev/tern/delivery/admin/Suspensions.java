package dev.tern.delivery.admin;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Destinations an operator has suspended on this pod (applied from {@code tern.control}, so every
 * pod holds the same set). Mail for a suspended destination is not attempted: its recipients are
 * deferred with {@code 451 4.4.5} to a retry tier and picked up again after {@code resume}.
 * Names are compared case-insensitively. Thread-safe.
 */
public final class Suspensions {

    private final Set<String> suspended = ConcurrentHashMap.newKeySet();

    public void suspend(String destination) {
        suspended.add(normalize(destination));
    }

    public void resume(String destination) {
        suspended.remove(normalize(destination));
    }

    public boolean isSuspended(String destination) {
        return !suspended.isEmpty() && suspended.contains(normalize(destination));
    }

    public Set<String> all() {
        return Set.copyOf(suspended);
    }

    private static String normalize(String d) {
        return d.trim().toLowerCase(Locale.ROOT);
    }
}
