package dev.tern.common.policy;

import java.time.Duration;
import java.util.Set;

/**
 * One content-filter milter of the policy's {@code milters:} list (docs/ARCHITECTURE.md, "Content
 * filtering (milters)"), applied in list order.
 *
 * @param name              unique name, used in metrics, logs and by the SMTP proxy mode
 * @param host              host of {@code inet:host:port} / {@code inet6:host:port}
 * @param port              its port
 * @param onError           what a milter that fails or times out means for the message
 * @param timeout           the whole conversation for one message
 * @param listeners         the listeners whose mail it checks ({@code smtp}, {@code submission}, {@code smtps})
 * @param skipTrusted       whether mail from the relay's trusted networks skips it
 * @param skipAuthenticated whether mail of authenticated users skips it
 * @param quarantineScore   quarantine when the spam score the milter adds ({@code X-Spamd-Result},
 *                          {@code X-Rspamd-Score} or {@code X-Spam-Score}) reaches it; null: no such rule
 */
public record Milter(String name, String host, int port, OnError onError, Duration timeout, Set<String> listeners,
        boolean skipTrusted, boolean skipAuthenticated, Double quarantineScore) {

    public static final Set<String> LISTENERS = Set.of("smtp", "submission", "smtps");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** What a failed milter means for the message. */
    public enum OnError {
        TEMPFAIL, ACCEPT, REJECT
    }

    public Milter {
        listeners = Set.copyOf(listeners);
    }

    /** Whether mail of this kind goes through this milter. */
    public boolean applies(String listener, boolean trusted, boolean authenticated) {
        return listeners.contains(listener) && !(trusted && skipTrusted) && !(authenticated && skipAuthenticated);
    }
}
