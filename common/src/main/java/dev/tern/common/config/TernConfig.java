package dev.tern.common.config;

import io.smallrye.config.ConfigMapping;
import dev.tern.common.dns.DnsServerConverter;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

        /**
         * Standard Kafka client properties for every producer, consumer and admin client, names
         * unchanged ({@code tern.kafka.properties.security.protocol=SASL_SSL}); in the environment
         * {@code TERN_KAFKA_PROPERTIES_SECURITY_PROTOCOL}. Declared so these names are known; read and
         * checked by {@code KafkaClientProperties}, which also resolves the environment form.
         */
        Map<String, String> properties();
    }

    interface Infinispan {
        /** Hot Rod servers, {@code host:port[;host:port]}. */
        @WithDefault("127.0.0.1:11222")
        String hosts();

        /** Hot Rod user, when the server requires authentication (the Infinispan Operator's default). */
        Optional<String> username();

        /** Password for {@link #username()} ({@code TERN_INFINISPAN_PASSWORD}); never logged. */
        Optional<String> password();

        /**
         * File holding the password (a mounted Secret), read at start; trailing line breaks are
         * ignored. Wins over {@link #password()}. A missing or unreadable file fails the start.
         */
        Optional<Path> passwordFile();

        /**
         * SASL mechanism used with {@link #username()}: SCRAM-SHA-512 (the strongest the server's
         * properties realm offers), SCRAM-SHA-256, DIGEST-SHA-512, DIGEST-MD5 or PLAIN (over TLS only).
         */
        @WithDefault("SCRAM-SHA-512")
        String saslMechanism();

        /** TLS to the Hot Rod endpoint (docs/ARCHITECTURE.md, "Infinispan security"). */
        InfinispanTls tls();

        /**
         * Whether {@code /q/health/ready} needs Infinispan. False for ingress, which keeps no state
         * there: an Infinispan outage must not take the SMTP front door out of its Service.
         */
        @WithDefault("true")
        boolean requiredForReadiness();
    }

    interface InfinispanTls {
        /** Whether Hot Rod connections use TLS ({@code TERN_INFINISPAN_TLS_ENABLED}). */
        @WithDefault("false")
        boolean enabled();

        /**
         * CA certificates to trust: a PEM file (one or more certificates) or a PKCS12/JKS store.
         * Absent: the JVM's default trusted CAs.
         */
        Optional<Path> truststore();

        /** {@code PEM}, {@code PKCS12} or {@code JKS}; absent: from the file name (.p12/.pfx, .jks), else PEM. */
        Optional<String> truststoreType();

        /** Password of a PKCS12/JKS truststore, if it has one. */
        Optional<String> truststorePassword();

        /**
         * Host name the server certificate must match, also sent as SNI. Absent: the host of the
         * first entry of {@code tern.infinispan.hosts}. The name is always checked.
         */
        Optional<String> sniHostName();

        /** Client identity for mutual TLS: a PKCS12/JKS keystore with one key entry. */
        Optional<Path> keystore();

        /** {@code PKCS12} or {@code JKS}; absent: from the file name (.jks), else PKCS12. */
        Optional<String> keystoreType();

        /** Password of the keystore and of its key. */
        Optional<String> keystorePassword();
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
