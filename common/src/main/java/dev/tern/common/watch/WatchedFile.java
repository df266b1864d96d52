package dev.tern.common.watch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A file's parsed content, reloaded live when the file changes (docs/ARCHITECTURE.md, "Configuration"):
 * the policy, the admin tokens.
 *
 * <p>The file is polled by content hash, not by mtime or inotify: a Kubernetes ConfigMap or Secret
 * update swaps a symlink, which neither changes the watched file's mtime nor fires an event on it.
 * A change that fails to parse (or a file that cannot be read) is refused with one log line, and
 * the last good value stays in force. The first load happens in the constructor and throws, so a
 * bad file fails the start. Files the value itself names ({@code companions}: e.g. the smarthost
 * passwords a policy reads from mounted Secrets, which change the same way) are part of the hash,
 * so a change to one of them reloads the value too. Thread-safe: {@link #current()} is a volatile read; {@link #poll()}
 * runs on the watcher's daemon thread (or a test's) and is synchronized.
 *
 * @param <T> the parsed content
 */
public final class WatchedFile<T> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WatchedFile.class);

    /** Turns the file's bytes into a value; throws an exception whose message names the bad key or line. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(Path file, byte[] content);
    }

    private final String what;
    private final Path file;
    private final Parser<T> parser;
    private final Function<String, RuntimeException> unreadable;
    private final Function<T, List<Path>> companions;
    private final List<Consumer<T>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller;
    private volatile T current;
    private byte[] lastHash;
    private volatile String lastError;

    /**
     * Loads {@code file} now and polls it every {@code pollInterval} (at least 100 ms) on a daemon thread.
     *
     * @param what       what the file holds, for log lines and the thread name ({@code policy})
     * @param unreadable makes the exception for a file that cannot be read, from a message naming it
     * @throws RuntimeException from {@code parser} or {@code unreadable} when the file is bad
     */
    public WatchedFile(String what, Path file, Duration pollInterval, Parser<T> parser,
            Function<String, RuntimeException> unreadable) {
        this(what, file, parser, unreadable, value -> List.of(), pollInterval);
    }

    /** As above, also reloading when a file in {@code companions} of the value in force changes. */
    public WatchedFile(String what, Path file, Duration pollInterval, Parser<T> parser,
            Function<String, RuntimeException> unreadable, Function<T, List<Path>> companions) {
        this(what, file, parser, unreadable, companions, pollInterval);
    }

    /**
     * As the constructor, without a thread of its own: the owner calls {@link #poll()}, e.g. one
     * poller for many files.
     */
    public static <T> WatchedFile<T> polledByOwner(String what, Path file, Parser<T> parser,
            Function<String, RuntimeException> unreadable) {
        return new WatchedFile<>(what, file, parser, unreadable, value -> List.of(), null);
    }

    private WatchedFile(String what, Path file, Parser<T> parser, Function<String, RuntimeException> unreadable,
            Function<T, List<Path>> companions, Duration pollInterval) {
        this.what = what;
        this.file = file;
        this.parser = parser;
        this.unreadable = unreadable;
        this.companions = companions;
        byte[] bytes = read();
        this.current = parser.parse(file, bytes);
        this.lastHash = hash(bytes, current);
        if (pollInterval == null) {
            this.poller = null;
            return;
        }
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tern-" + what.replace(' ', '-') + "-watcher");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, pollInterval.toMillis());
        poller.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    public T current() {
        return current;
    }

    public Path file() {
        return file;
    }

    /** The last refused reload's message, or null when the value in force is the file on disk. */
    public String lastError() {
        return lastError;
    }

    /** Called, on the watcher's thread, with each newly accepted value. */
    public void onChange(Consumer<T> listener) {
        listeners.add(listener);
    }

    /** Checks the file now; also what the poller runs. Returns true when a new value took effect. */
    public synchronized boolean poll() {
        T next;
        try {
            byte[] bytes;
            try {
                bytes = read();
            } catch (RuntimeException e) {
                // Forgotten, so the same good content is taken again (and the error cleared) once readable.
                lastHash = null;
                throw e;
            }
            byte[] h = hash(bytes, current);
            if (Arrays.equals(h, lastHash)) {
                return false;
            }
            // Remembered before parsing, so a broken file is reported once, not at every poll.
            lastHash = h;
            next = parser.parse(file, bytes);
            // The new value may name other files: hash those from now on.
            lastHash = hash(bytes, next);
        } catch (RuntimeException e) {
            // Any parser failure, even an unforeseen one, must leave the last good value and the poller running.
            refuse(String.valueOf(e.getMessage()));
            return false;
        }
        current = next;
        lastError = null;
        LOG.infof("%s reloaded from %s", what, file);
        for (Consumer<T> l : listeners) {
            l.accept(next);
        }
        return true;
    }

    private void refuse(String message) {
        if (!message.equals(lastError)) {
            LOG.errorf("%s reload refused, keeping the last good %s: %s", what, what, message);
        }
        lastError = message;
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw unreadable.apply("cannot read " + file + ": " + e);
        }
    }

    /** The file's bytes and those of every companion of {@code value}; an unreadable companion hashes as such. */
    private byte[] hash(byte[] bytes, T value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes);
            for (Path f : companions.apply(value)) {
                digest.update(f.toString().getBytes(StandardCharsets.UTF_8));
                try {
                    digest.update(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
                } catch (IOException e) {
                    digest.update((byte) 0);
                }
            }
            return digest.digest();
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
