package dev.tern.common.policy;

import dev.tern.common.watch.WatchedFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Holds the policy in force and reloads it live when the file changes (docs/ARCHITECTURE.md, "Configuration").
 *
 * <p>The file is watched by content hash ({@link WatchedFile}), together with the files the policy
 * read besides itself ({@link Policy#watchedFiles()}: smarthost passwords from mounted Secrets), so
 * a rotated password applies without touching the policy. A file that fails to parse is
 * refused with one log line naming the key, and the last good policy stays in force. The first
 * load happens in the constructor and throws, so a bad policy fails the start. Thread-safe:
 * {@link #current()} is a volatile read.
 */
public final class PolicyWatcher implements AutoCloseable {

    private final WatchedFile<Policy> watched;
    private final Policy fixed;

    public PolicyWatcher(Path file, Duration pollInterval) {
        this.watched = new WatchedFile<>("policy", file, pollInterval,
                (f, bytes) -> PolicyParser.parse(new String(bytes, StandardCharsets.UTF_8), f.toAbsolutePath().getParent()),
                message -> new PolicyException("TERN_POLICY", message), Policy::watchedFiles);
        this.fixed = null;
    }

    /** A watcher with a fixed policy, for services run without a policy file. */
    public static PolicyWatcher fixed(Policy policy) {
        return new PolicyWatcher(policy);
    }

    private PolicyWatcher(Policy fixed) {
        this.watched = null;
        this.fixed = fixed;
    }

    public Policy current() {
        return watched == null ? fixed : watched.current();
    }

    /** The last refused reload's message, or null when the file in force is the file on disk. */
    public String lastError() {
        return watched == null ? null : watched.lastError();
    }

    /** Called, on the watcher's thread, with each newly accepted policy. */
    public void onChange(Consumer<Policy> listener) {
        if (watched != null) {
            watched.onChange(listener);
        }
    }

    /** Checks the file now; also what the poller runs. Returns true when a new policy took effect. */
    public boolean poll() {
        return watched != null && watched.poll();
    }

    @Override
    public void close() {
        if (watched != null) {
            watched.close();
        }
    }
}
