package dev.tern.common.policy;

import dev.tern.common.config.TernConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;

/**
 * The service's live policy: the file named by {@code tern.policy} ({@code TERN_POLICY}), watched
 * for changes, or the built-in defaults when none is configured. A bad file fails the start with
 * a {@link PolicyException} naming the key (it is loaded eagerly by each service at start-up).
 */
@ApplicationScoped
public class PolicyHolder {

    private final PolicyWatcher watcher;

    public PolicyHolder(TernConfig config) {
        this.watcher = config.policy().filter(p -> !p.isBlank())
                .map(p -> new PolicyWatcher(Path.of(p), config.policyPollInterval()))
                .orElseGet(() -> PolicyWatcher.fixed(PolicyParser.parse("", null)));
    }

    public Policy current() {
        return watcher.current();
    }

    public PolicyWatcher watcher() {
        return watcher;
    }

    @PreDestroy
    void close() {
        watcher.close();
    }
}
