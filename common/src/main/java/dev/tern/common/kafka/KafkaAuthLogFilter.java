package dev.tern.common.kafka;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops the line Kafka's network client logs for every failed authentication of every client
 * (several a second while the credentials are wrong); {@link KafkaAuthFailures} says it once
 * instead. A service turns it on with {@code quarkus.log.console.filter=tern-kafka-auth}.
 */
@LoggingFilter(name = "tern-kafka-auth")
public final class KafkaAuthLogFilter implements Filter {

    private static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        return !(NETWORK_CLIENT.equals(record.getLoggerName()) && message != null
                && message.contains("failed authentication due to"));
    }
}
