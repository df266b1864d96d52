package dev.tern.common.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Holds the policy in force and reloads it live when the file changes (docs/ARCHITECTURE.md, "Configuration").
 *
 * <p>The file is polled by content hash, not by mtime or inotify: a Kubernetes ConfigMap update
 * swaps a symlink, which neither changes the watched file's mtime nor fires an event on it. A file
 * that fails to parse is refused with one log line naming the key, and the last good policy stays
 * in force. The files the policy read besides itself ({@link Policy#watchedFiles()}: smarthost
 * passwords from mounted Secrets, which change the same way) are part of the hash, so a rotated
 * password applies without touching the policy. The first load happens in the constructor and throws, so a bad policy fails the start.
 * Thread-safe: {@link #current()} is a volatile read.
 */
public final class PolicyWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PolicyWatcher.class);

    private final Path file;
    private final AtomicReference<Policy> current = new AtomicReference<>();
    private final List<Consumer<Policy>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller;
    private volatile String lastHash;
    private volatile String lastError;

    public PolicyWatcher(Path file, Duration pollInterval) {
        this.file = file;
        byte[] bytes = read();
        Policy first = parse(bytes);
        current.set(first);
        this.lastHash = hash(bytes, first);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tern-policy-watcher");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, pollInterval.toMillis());
        poller.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** A watcher with a fixed policy, for services run without a policy file. */
    public static PolicyWatcher fixed(Policy policy) {
        return new PolicyWatcher(policy);
    }

    private PolicyWatcher(Policy fixed) {
        this.file = null;
        this.poller = null;
        current.set(fixed);
    }

    public Policy current() {
        return current.get();
    }

    /** The last refused reload's message, or null when the file in force is the file on disk. */
    public String lastError() {
        return lastError;
    }

    /** Called, on the watcher's thread, with each newly accepted policy. */
    public void onChange(Consumer<Policy> listener) {
        listeners.add(listener);
    }

    /** Checks the file now; also what the poller runs. Returns true when a new policy took effect. */
    public boolean poll() {
        if (file == null) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = read();
        } catch (PolicyException e) {
            refuse(e.getMessage());
            return false;
        }
        String h = hash(bytes, current.get());
        if (h.equals(lastHash)) {
            return false;
        }
        lastHash = h;
        try {
            Policy next = parse(bytes);
            current.set(next);
            // The new policy may read other files: hash those from now on.
            lastHash = hash(bytes, next);
            lastError = null;
            LOG.infof("policy reloaded from %s", file);
            for (Consumer<Policy> l : listeners) {
                l.accept(next);
            }
            return true;
        } catch (PolicyException e) {
            refuse(e.getMessage());
            return false;
        }
    }

    private void refuse(String message) {
        if (!message.equals(lastError)) {
            LOG.errorf("policy reload refused, keeping the last good policy: %s", message);
        }
        lastError = message;
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PolicyException("TERN_POLICY", "cannot read " + file + ": " + e.getMessage());
        }
    }

    private Policy parse(byte[] bytes) {
        return PolicyParser.parse(new String(bytes, StandardCharsets.UTF_8), file.toAbsolutePath().getParent());
    }

    /** The policy's bytes and those of every file it read; an unreadable file hashes as such. */
    private static String hash(byte[] bytes, Policy policy) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes);
            for (Path f : policy == null ? List.<Path>of() : policy.watchedFiles()) {
                digest.update(f.toString().getBytes(StandardCharsets.UTF_8));
                try {
                    digest.update(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
                } catch (IOException e) {
                    digest.update((byte) 0);
                }
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
