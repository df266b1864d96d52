package dev.tern.ingress.trust.recipients;

import dev.tern.common.watch.WatchedFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Holds the {@link RecipientsFile} in force for each recipients file path and reloads it live when
 * the file changes, as {@code PolicyWatcher} does for the policy (docs/ARCHITECTURE.md,
 * "Configuration"), each path through a {@link WatchedFile}.
 *
 * <p>Keyed by path rather than bound to one, because the path itself comes from the policy
 * ({@code relay.recipients}) and a policy reload may point it elsewhere; the validator asks for
 * the path of the policy it was handed. Polled by content hash, not mtime or inotify: a Kubernetes
 * ConfigMap update swaps a symlink, which changes neither the watched file's mtime nor fires an
 * event on it. A reload that fails (unreadable, a bad line) is refused with one log line and the
 * last good list stays in force; only a path that never loaded has no list, and asking for it
 * throws.
 *
 * <p>Thread-safe: {@link #current} is a map read once the path is known. The first load of a path
 * reads the file on the caller's thread, so the service should {@link #watch} the configured path
 * at start and from the policy watcher's change listener, never first from an event loop.
 */
public final class RecipientsFileWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RecipientsFileWatcher.class);

    private final Map<Path, WatchedFile<RecipientsFile>> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;

    /** Polls every watched file each {@code pollInterval} (at least 100 ms) on a daemon thread. */
    public RecipientsFileWatcher(Duration pollInterval) {
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tern-recipients-watcher");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, pollInterval.toMillis());
        poller.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Loads {@code file} now if it is not watched yet, and watches it from then on.
     *
     * @throws RecipientsFileException when the file cannot be read or parsed and has no good version
     */
    public RecipientsFile watch(Path file) {
        return watched.computeIfAbsent(key(file), RecipientsFileWatcher::load).current();
    }

    /** The list in force for {@code file}: the last good version, loaded now on first use. */
    public RecipientsFile current(Path file) {
        WatchedFile<RecipientsFile> w = watched.get(key(file));
        return w != null ? w.current() : watch(file);
    }

    /** Whether {@code file} is loaded already, so {@link #current} will not read it. */
    public boolean loaded(Path file) {
        return watched.containsKey(key(file));
    }

    /** The last refused reload's message for {@code file}, or null when what is in force is on disk. */
    public String lastError(Path file) {
        WatchedFile<RecipientsFile> w = watched.get(key(file));
        return w == null ? null : w.lastError();
    }

    /** Checks every watched file now; also what the poller runs. True when any list changed. */
    public boolean poll() {
        boolean changed = false;
        for (WatchedFile<RecipientsFile> w : watched.values()) {
            changed |= w.poll();
        }
        return changed;
    }

    private static WatchedFile<RecipientsFile> load(Path file) {
        var w = WatchedFile.polledByOwner("recipients", file,
                (f, bytes) -> RecipientsFile.parse(new String(bytes, StandardCharsets.UTF_8).lines().toList(), f.toString()),
                RecipientsFileException::new);
        LOG.infof("recipients loaded from %s: %d entries", file, w.current().size());
        return w;
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
