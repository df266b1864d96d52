package dev.tern.common.admin;

import dev.tern.common.config.TernConfig;
import dev.tern.common.watch.WatchedFile;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The service's admin tokens in force: the file named by {@code tern.admin.tokens-file}
 * ({@code TERN_ADMIN_TOKENS_FILE}, a Secret mount in Kubernetes), reloaded live when it changes
 * ({@link WatchedFile}), or {@link AdminTokens#unconfigured()} when none is named, which closes the
 * admin API (docs/ARCHITECTURE.md, "Admin API security").
 *
 * <p>Created at start ({@link Startup}), so a malformed file fails the start with a message naming
 * the key, the file and the line; a malformed file on a live reload is logged once and the previous
 * tokens stay. Thread-safe: {@link #current()} is a volatile read.
 */
@Startup
@ApplicationScoped
public class AdminTokensHolder {

    private static final Logger LOG = Logger.getLogger(AdminTokensHolder.class);

    private final WatchedFile<AdminTokens> watched;

    public AdminTokensHolder(TernConfig config) {
        var file = config.admin().tokensFile().filter(f -> !f.isBlank());
        if (file.isEmpty()) {
            this.watched = null;
            LOG.warnf("admin API closed: no admin tokens file configured (%s, TERN_ADMIN_TOKENS_FILE);"
                    + " every /admin request is answered 401", AdminTokensException.KEY);
            return;
        }
        this.watched = watch(Path.of(file.get()), config.admin().pollInterval());
        LOG.infof("admin tokens loaded from %s: %d", watched.file(), watched.current().size());
    }

    /**
     * Loads the tokens file now and watches it.
     *
     * @throws AdminTokensException when it cannot be read or has a malformed line
     */
    public static WatchedFile<AdminTokens> watch(Path file, Duration pollInterval) {
        return new WatchedFile<>("admin tokens", file, pollInterval,
                (f, bytes) -> AdminTokens.parse(new String(bytes, StandardCharsets.UTF_8), f.toString()),
                AdminTokensException::new);
    }

    public AdminTokens current() {
        return watched == null ? AdminTokens.unconfigured() : watched.current();
    }

    @PreDestroy
    void close() {
        if (watched != null) {
            watched.close();
        }
    }
}
