package dev.tern.common.kafka;

import dev.tern.common.logging.ThrottledWarning;
import java.time.Duration;
import org.apache.kafka.common.errors.AuthenticationException;
import org.jboss.logging.Logger;

/**
 * Kafka refusing this service's credentials (a wrong SCRAM password, a client certificate the
 * broker does not trust): every client of the pod hits it on every reconnect, and nothing but a
 * configuration change helps. So it is one clear warning per {@link #INTERVAL} for the whole JVM,
 * not an error with a stack trace per poll; Kafka's own per-connection lines are dropped by
 * {@link KafkaAuthLogFilter}, and readiness stays DOWN meanwhile (docs/ARCHITECTURE.md, "Kafka security").
 */
public final class KafkaAuthFailures {

    static final Duration INTERVAL = Duration.ofMinutes(5);

    private static final ThrottledWarning WARNING =
            new ThrottledWarning(Logger.getLogger(KafkaAuthFailures.class), INTERVAL);

    private KafkaAuthFailures() {
    }

    /** The authentication failure in {@code e}'s causal chain, or null when it is something else. */
    public static AuthenticationException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException a) {
                return a;
            }
        }
        return null;
    }

    /** Logs (throttled) that Kafka refused the credentials; true when {@code e} was such a failure. */
    public static boolean report(Throwable e) {
        AuthenticationException a = find(e);
        if (a == null) {
            return false;
        }
        WARNING.warn("Kafka refused this service's credentials (%s: %s); check %s* (sasl.jaas.config,"
                + " ssl.keystore.*, ssl.truststore.*). Not ready until Kafka accepts them.",
                a.getClass().getSimpleName(), a.getMessage(), KafkaClientProperties.PREFIX);
        return true;
    }
}
