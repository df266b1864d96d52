package dev.tern.common.config;

import io.smallrye.config.ConfigMapping;
import dev.tern.common.dns.DnsServerConverter;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.net.InetSocketAddress;
import java.util.List;
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

    /** The one DNS resolver every service's lookups go through (MX routing, SPF, DKIM keys, DNSBLs). */
    Dns dns();

    /** Path of the policy file (docs/ARCHITECTURE.md, "Configuration"); without it the built-in defaults apply. */
    Optional<String> policy();

    /** How often the policy file is checked for changes. */
    @WithDefault("2s")
    Duration policyPollInterval();

    /** Who may call the {@code /admin/...} endpoints (docs/ARCHITECTURE.md, "Admin API security"). */
    Admin admin();

    interface Admin {
        /**
         * The admin tokens file ({@code TERN_ADMIN_TOKENS_FILE}, a Secret in Kubernetes): lines
         * {@code <sha256-hex-of-token> <viewer|operator> <name>}, reloaded live. Without it every
         * {@code /admin} request is refused with 401. A malformed line fails the start with this key.
         */
        Optional<String> tokensFile();

        /** How often the tokens file is checked for changes. */
        @WithDefault("2s")
        Duration pollInterval();
    }

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

    interface Dns {
        /**
         * Resolvers to ask, {@code host:port} (port defaults to 53; IPv6 as {@code [addr]:port}),
         * e.g. {@code TERN_DNS_SERVERS=127.0.0.1:5353}. Empty: the system's ({@code /etc/resolv.conf}).
         * A malformed entry fails the start with this key's name.
         */
        Optional<List<@WithConverter(DnsServerConverter.class) InetSocketAddress>> servers();

        /** Timeout of one DNS query; a lookup that times out is a temporary error, never "no records". */
        @WithDefault("5s")
        Duration timeout();

        /** Upper bound on how long an answer is cached, whatever its TTL (or SOA minimum) says. */
        @WithDefault("1h")
        Duration maxTtl();
    }
}
