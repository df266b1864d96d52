package dev.tern.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Wiring every Tern service shares: where Kafka and Infinispan are and where the policy file is.
 * Environment variables map as usual ({@code TERN_KAFKA_BOOTSTRAP_SERVERS}, {@code TERN_POLICY}).
 */
@ConfigMapping(prefix = "tern")
public interface TernConfig {

    Kafka kafka();

    Infinispan infinispan();

    /** Path of the policy file (docs/ARCHITECTURE.md, "Configuration"); without it the built-in defaults apply. */
    Optional<String> policy();

    /** How often the policy file is checked for changes. */
    @WithDefault("2s")
    Duration policyPollInterval();

    interface Kafka {
        /** Kafka bootstrap servers, {@code host:port[,host:port]}. */
        @WithDefault("${kafka.bootstrap.servers:127.0.0.1:9092}")
        String bootstrapServers();

        /** Largest message accepted; topic, producer and consumer limits are derived from it. */
        @WithDefault("52428800")
        int maxMessageBytes();

        /** Partitions for new topics, when a service creates them (the local runtime does). */
        @WithDefault("6")
        int partitions();

        /** Replication factor for new topics: 3 in production, 1 on a single local broker. */
        @WithDefault("3")
        short replicationFactor();
    }

    interface Infinispan {
        /** Hot Rod servers, {@code host:port[;host:port]}. */
        @WithDefault("127.0.0.1:11222")
        String hosts();

        /** Hot Rod user, when the server requires authentication (the Infinispan Operator's default). */
        Optional<String> username();

        /** Password for {@link #username()}. */
        Optional<String> password();

        /**
         * Whether {@code /q/health/ready} needs Infinispan. False for ingress, which keeps no state
         * there: an Infinispan outage must not take the SMTP front door out of its Service.
         */
        @WithDefault("true")
        boolean requiredForReadiness();
    }
}
