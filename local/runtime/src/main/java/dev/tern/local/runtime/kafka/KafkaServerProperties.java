package dev.tern.local.runtime.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code server.properties} of the single local KRaft node, which is broker and controller
 * at once.
 *
 * <p>Replication settings are 1 because there is one node; production uses RF 3 and
 * {@code min.insync.replicas=2} (docs/ARCHITECTURE.md, "Topics and records"), and so does a
 * {@linkplain #quorumMember member} of the local three-node quorum (docs/ARCHITECTURE.md, "Local HA cluster"). Topics are never auto-created so
 * that a misspelt topic name fails loudly in tests as it would in production. Message size
 * limits leave room for a 50 MiB message plus batch and header overhead. Internal topics get
 * few partitions because each partition costs start-up time and open files on a laptop.
 */
final class KafkaServerProperties {

    /** Largest record batch the broker accepts: 50 MiB of mail plus generous overhead. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private KafkaServerProperties() {
    }

    static Map<String, String> of(int brokerPort, int controllerPort, Path logDir) {
        return of(brokerPort, controllerPort, logDir, null, 0, 0);
    }

    /**
     * As {@link #of(int, int, Path)}, plus the listeners {@code SASL_SSL} on {@code saslSslPort} and
     * {@code SSL} (client certificate required) on {@code sslPort} when {@code secured} is not null.
     */
    static Map<String, String> of(int brokerPort, int controllerPort, Path logDir, SecuredListeners secured,
            int saslSslPort, int sslPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        String listeners = "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort;
        String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
        if (secured != null) {
            listeners += ",SASL_SSL://127.0.0.1:" + saslSslPort + ",SSL://127.0.0.1:" + sslPort;
            protocols += ",SASL_SSL:SASL_SSL,SSL:SSL";
        }
        p.put("listeners", listeners);
        p.put("advertised.listeners", listeners);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", protocols);
        if (secured != null) {
            secure(p, secured);
        }
        p.put("log.dirs", logDir.toAbsolutePath().toString());

        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "8");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "8");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("unclean.leader.election.enable", "false");
        // Consumer groups in tests should start consuming at once, not after 3 s.
        p.put("group.initial.rebalance.delay.ms", "0");

        p.put("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
        p.put("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
        p.put("socket.request.max.bytes", Integer.toString(2 * MAX_MESSAGE_BYTES));

        // Small thread pools and cleaner buffer: this broker shares two cores and a laptop's RAM.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "4");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        return p;
    }

    /**
     * A member of a KRaft quorum of combined broker+controller nodes ({@link KafkaQuorum}): node
     * {@code nodeId}, static voters {@code voters} ({@code 1@127.0.0.1:port,2@...}), and the
     * production replication rules: every topic, the internal ones included, on
     * {@code replicas} nodes and writable while {@code replicas - 1} of them are in sync, so
     * one node may die without losing an acknowledged record or stopping producers.
     */
    static Map<String, String> quorumMember(int nodeId, int brokerPort, int controllerPort, String voters,
            int replicas, Path logDir) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be >= 1, was " + replicas);
        }
        Map<String, String> p = of(brokerPort, controllerPort, logDir);
        String rf = Integer.toString(replicas);
        String minIsr = Integer.toString(Math.max(1, replicas - 1));
        p.put("node.id", Integer.toString(nodeId));
        p.remove("controller.quorum.bootstrap.servers");
        p.put("controller.quorum.voters", voters);
        p.put("default.replication.factor", rf);
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", rf);
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        // A restarted node should take its leaderships back, as in production, so that the
        // cluster's load spreads again after a failover; checked every 10 s instead of 5 min.
        p.put("auto.leader.rebalance.enable", "true");
        p.put("leader.imbalance.check.interval.seconds", "10");
        return p;
    }

    private static void secure(Map<String, String> p, SecuredListeners secured) {
        String password = secured.storePassword();
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", secured.keystore().toString());
        p.put("ssl.keystore.password", password);
        p.put("ssl.key.password", password);
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", secured.truststore().toString());
        p.put("ssl.truststore.password", password);
        p.put("listener.name.ssl.ssl.client.auth", "required");
        p.put("listener.name.sasl_ssl.ssl.client.auth", "none");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }

    static String render(Map<String, String> props) {
        StringBuilder text = new StringBuilder("# Generated by tern-local-runtime; rewritten on every start.\n");
        props.forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        return text.toString();
    }
}
