package dev.tern.common.infinispan;

import dev.tern.common.logging.ThrottledWarning;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.security.sasl.SaslException;
import org.jboss.logging.Logger;

/**
 * Tells a failed Hot Rod request that no retry can fix (the server refused Tern's credentials,
 * the TLS handshake failed) from an outage, and says what to fix in one line.
 *
 * <p>Every caller that retries (the readiness probe, each {@link BackgroundOpener}) reports
 * through one shared {@link ThrottledWarning}: a wrong password gives the service's log one clear
 * line, again at most every {@link #LOG_INTERVAL}, not a line per retry per cache.
 */
final class HotRodFailures {

    static final Duration LOG_INTERVAL = Duration.ofMinutes(10);
    private static final ThrottledWarning MISCONFIGURED =
            new ThrottledWarning(Logger.getLogger(InfinispanClient.class), LOG_INTERVAL);

    private HotRodFailures() {
    }

    /** Logs (throttled) what to fix when {@code error} is a misconfiguration; true when it is. */
    static boolean reportIfMisconfigured(Throwable error) {
        Optional<String> line = misconfiguration(error);
        line.ifPresent(l -> MISCONFIGURED.warn("%s", l));
        return line.isPresent();
    }

    /** One line naming the configuration at fault, or empty when {@code error} looks like an outage. */
    static Optional<String> misconfiguration(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof SaslException || message.contains("SecurityException")
                    || message.contains("Invalid credentials") || message.contains("Unauthorized access")) {
                return Optional.of("Infinispan refused Tern's credentials, check tern.infinispan.username, "
                        + "the password and tern.infinispan.sasl-mechanism: " + lastLine(message));
            }
            if (t instanceof SSLException) {
                return Optional.of("TLS handshake with Infinispan failed, check tern.infinispan.tls.truststore "
                        + "and tern.infinispan.tls.sni-host-name: " + lastLine(message));
            }
        }
        return Optional.empty();
    }

    /**
     * The server's reason out of a wrapped message ({@code "...: java.lang.SecurityException:
     * ISPN006024: Invalid credentials\n<cause>"}), on one line.
     */
    static String lastLine(String message) {
        int at = message.indexOf("Exception: ");
        String reason = at < 0 ? message : message.substring(at + "Exception: ".length());
        int end = reason.indexOf('\n');
        return (end < 0 ? reason : reason.substring(0, end)).strip();
    }
}
