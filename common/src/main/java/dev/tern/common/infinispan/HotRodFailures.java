package dev.tern.common.infinispan;

import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.security.sasl.SaslException;

/**
 * Tells a failed Hot Rod request that no retry can fix (the server refused Tern's credentials,
 * the TLS handshake failed) from an outage, and says what to fix in one line.
 */
final class HotRodFailures {

    private HotRodFailures() {
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

    /** The server's part of a wrapped message ({@code "...: java.lang.SecurityException: ISPN006024: ..."}). */
    private static String lastLine(String message) {
        int at = message.indexOf("Exception: ");
        return at < 0 ? message : message.substring(at + "Exception: ".length());
    }
}
