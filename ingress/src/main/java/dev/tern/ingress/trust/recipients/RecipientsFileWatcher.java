package dev.tern.ingress.trust.recipients;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Holds the {@link RecipientsFile} in force for each recipients file path and reloads it live when
 * the file changes, as {@code PolicyWatcher} does for the policy (docs/ARCHITECTURE.md,
 * "Configuration").
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

    private final Map<Path, Watched> watched = new ConcurrentHashMap<>();
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
        return watched.computeIfAbsent(key(file), Watched::load).list;
    }

    /** The list in force for {@code file}: the last good version, loaded now on first use. */
    public RecipientsFile current(Path file) {
        Watched w = watched.get(key(file));
        return w != null ? w.list : watch(file);
    }

    /** Whether {@code file} is loaded already, so {@link #current} will not read it. */
    public boolean loaded(Path file) {
        return watched.containsKey(key(file));
    }

    /** The last refused reload's message for {@code file}, or null when what is in force is on disk. */
    public String lastError(Path file) {
        Watched w = watched.get(key(file));
        return w == null ? null : w.lastError;
    }

    /** Checks every watched file now; also what the poller runs. True when any list changed. */
    public boolean poll() {
        boolean changed = false;
        for (Watched w : watched.values()) {
            changed |= w.reload();
        }
        return changed;
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }

    /** One watched path; reload() runs on the poller thread only (or a test's), list is read anywhere. */
    private static final class Watched {
        private final Path file;
        private volatile RecipientsFile list;
        private volatile byte[] hash;
        private volatile String lastError;

        private Watched(Path file, byte[] bytes) {
            this.file = file;
            this.hash = sha256(bytes);
            this.list = parse(file, bytes);
        }

        static Watched load(Path file) {
            Watched w = new Watched(file, read(file));
            LOG.infof("recipients loaded from %s: %d entries", file, w.list.size());
            return w;
        }

        synchronized boolean reload() {
            try {
                byte[] bytes;
                try {
                    bytes = read(file);
                } catch (RecipientsFileException e) {
                    // Forgotten, so the same good content is parsed again once it is readable.
                    hash = null;
                    throw e;
                }
                byte[] h = sha256(bytes);
                if (Arrays.equals(h, hash)) {
                    return false;
                }
                // Remembered before parsing, so a broken file is reported once, not at every poll.
                hash = h;
                list = parse(file, bytes);
                lastError = null;
                LOG.infof("recipients reloaded from %s: %d entries", file, list.size());
                return true;
            } catch (RecipientsFileException e) {
                if (!e.getMessage().equals(lastError)) {
                    LOG.errorf("recipients reload refused, keeping the last good list: %s", e.getMessage());
                }
                lastError = e.getMessage();
                return false;
            }
        }

        private static RecipientsFile parse(Path file, byte[] bytes) {
            return RecipientsFile.parse(new String(bytes, StandardCharsets.UTF_8).lines().toList(), file.toString());
        }

        private static byte[] read(Path file) {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new RecipientsFileException("cannot read " + file + ": " + e);
            }
        }

        private static byte[] sha256(byte[] bytes) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(bytes);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
