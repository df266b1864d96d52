package dev.tern.ingress.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Ingress settings ({@code tern.ingress.*}). Defaults suit the local cluster; the Helm chart sets
 * the production ports and certificate paths. Invalid values fail the start naming the key.
 */
@ConfigMapping(prefix = "tern.ingress")
public interface IngressConfig {

    /** Name used in the greeting, EHLO reply and Received headers; defaults to the host name. */
    Optional<String> hostname();

    /** Address the SMTP listeners bind to. */
    @WithDefault("0.0.0.0")
    String bindAddress();

    /** Port 25 role: MTA-to-MTA, STARTTLS offered, AUTH offered after TLS but not required. 0 disables. */
    @WithDefault("25")
    int smtpPort();

    /** Port 587 role (RFC 6409): submission, STARTTLS, AUTH required. 0 disables. */
    @WithDefault("587")
    int submissionPort();

    /** Port 465 role (RFC 8314): implicit TLS submission, AUTH required. 0 disables. */
    @WithDefault("465")
    int smtpsPort();

    /** Accept a PROXY protocol v1/v2 header first on every listener (behind a TCP load balancer). */
    @WithDefault("false")
    boolean proxyProtocol();

    Tls tls();

    Limits limits();

    /** The SMTP proxy listener (docs/ARCHITECTURE.md, "SMTP proxy mode"); off unless a port is set. */
    Proxy proxy();

    /** How long to wait for Kafka's acknowledgement before answering 451 4.3.0. */
    @WithDefault("10s")
    Duration kafkaAckTimeout();

    /** On SIGTERM: how long in-flight sessions may take to finish before the pod exits. */
    @WithDefault("30s")
    Duration drainTimeout();

    interface Tls {
        /** PEM certificate chain; when absent a self-signed certificate is generated. */
        Optional<String> certFile();

        /** PEM private key (PKCS#8 or PKCS#1) matching {@link #certFile()}. */
        Optional<String> keyFile();

        /** Where a generated self-signed certificate is kept between restarts. */
        @WithDefault("${java.io.tmpdir}/tern-ingress-tls")
        String generatedDir();

        /** How often the certificate files are checked for renewal. */
        @WithDefault("30s")
        Duration reloadInterval();
    }

    interface Limits {
        /** SIZE advertised and enforced (RFC 1870); also the Kafka record size limit. */
        @WithDefault("${tern.kafka.max-message-bytes:52428800}")
        int maxMessageBytes();

        /** RCPTs per transaction before 452 4.5.3 (RFC 5321 §4.5.3.1.8 asks for at least 100). */
        @WithDefault("1000")
        int maxRecipients();

        /** Concurrent sessions per pod before 421 4.7.0. */
        @WithDefault("2000")
        int maxConnections();

        /** Concurrent sessions per client IP before 421 4.7.0. */
        @WithDefault("50")
        int maxConnectionsPerIp();

        /** Idle time between commands (RFC 5321 §4.5.3.2.7: at least 5 minutes). */
        @WithDefault("5m")
        Duration idleTimeout();

        /** Longest whole session, however busy. */
        @WithDefault("30m")
        Duration sessionTimeout();

        /** Pause before the greeting; a client that talks during it is an early talker (554). */
        @WithDefault("0s")
        Duration greetingDelay();

        /** Received headers beyond this mean a mail loop: 554 5.4.6. */
        @WithDefault("50")
        int maxReceivedHeaders();

        /** Protocol errors per session before the server hangs up (Postfix smtpd_hard_error_limit). */
        @WithDefault("20")
        int maxErrors();

        /**
         * NOOP, RSET, VRFY and EXPN per session before each further one counts toward
         * {@code max-errors} (Postfix smtpd_junk_command_limit).
         */
        @WithDefault("100")
        int maxJunkCommands();
    }

    interface Proxy {
        /**
         * Port of the proxy listener: each client session is relayed live to {@link #upstream()}.
         * Negative disables it (the default); 0 picks a free port (tests).
         */
        @WithDefault("-1")
        int listen();

        /** Where proxied sessions go: {@code smtp://host:port} (port 25 when omitted); required when listening. */
        Optional<String> upstream();

        /**
         * STARTTLS to the upstream: {@code none}, {@code opportunistic} (when offered, any
         * certificate, like Postfix's "may"), {@code required} (any certificate) or {@code verify}
         * (required, certificate checked against the JVM's trust store and the upstream's host name).
         */
        @WithDefault("opportunistic")
        String upstreamTls();

        /**
         * Names of entries of the policy's top-level {@code milters} list that check each message
         * before it is sent upstream, in order.
         */
        Optional<List<String>> milters();

        /** Connecting and the upstream's greeting, EHLO and STARTTLS together. */
        @WithDefault("30s")
        Duration connectTimeout();

        /** Longest wait for one upstream reply (the reply to the end of data included). */
        @WithDefault("5m")
        Duration replyTimeout();
    }
}
