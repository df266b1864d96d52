package dev.tern.local.runtime.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

import dev.tern.local.runtime.process.ChildProcess;
import dev.tern.local.runtime.process.ClusterMembers;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.runtime.process.RememberedCluster;

/**
 * A KRaft cluster of several combined broker+controller nodes on 127.0.0.1, each a
 * {@link KafkaBroker} child process in {@code <dir>/node-<id>}, with static voters and the
 * production replication rules ({@link KafkaServerProperties#quorumMember}: RF = nodes,
 * {@code min.insync.replicas} = nodes - 1).
 *
 * <p>{@code <dir>/quorum.properties} remembers the cluster id and every node's two ports, because
 * the voters' addresses are part of each node's persisted quorum state: a restart on the same
 * directory must use the same ports. Broker ports asked for explicitly (tern-local's 9092, 9093,
 * 9094) win over remembered ones; controller ports are always picked once and remembered.
 *
 * <p>All nodes start at once and {@link #start} returns when every one answers (none can before a
 * majority runs). {@link #kill} and {@link #restart} act on one node, for failover tests. A
 * failed start stops whatever did start. Thread-safe.
 */
public final class KafkaQuorum implements KafkaBackend, AutoCloseable {

    private final Path dir;
    private final List<KafkaBroker> nodes;
    private final List<Integer> controllerPorts;
    private final String voters;
    private final String clusterId;

    private KafkaQuorum(Path dir, List<KafkaBroker> nodes, List<Integer> controllerPorts, String voters,
            String clusterId) {
        this.dir = dir;
        this.nodes = nodes;
        this.controllerPorts = controllerPorts;
        this.voters = voters;
        this.clusterId = clusterId;
    }

    /**
     * Starts {@code brokerPorts.size()} nodes (at least 3, so that one may fail while two still
     * form a majority and an in-sync pair) whose PLAINTEXT listeners are on {@code brokerPorts}
     * (0: the port remembered in {@code dir}, else a free one), and waits until all answer.
     */
    public static KafkaQuorum start(Path dir, List<Integer> brokerPorts) {
        if (brokerPorts.size() < 3) {
            throw new IllegalArgumentException("a quorum that survives a node needs at least 3 nodes, not "
                    + brokerPorts.size());
        }
        Path root = dir.toAbsolutePath();
        RememberedCluster remembered = RememberedCluster.load(root, "quorum.properties");
        String clusterId = remembered.rememberOrCreate("cluster.id", () -> Uuid.randomUuid().toString());
        List<Integer> brokers = remembered.ports("broker", brokerPorts);
        List<Integer> controllers = remembered.ports("controller", brokerPorts.size());
        remembered.store("cluster id and ports of the local Kafka quorum, reused on restart");
        String voters = voters(controllers);

        List<KafkaBroker> nodes = ClusterMembers.launchAll(brokers.size(),
                id -> KafkaBroker.launchQuorumMember(nodeDir(root, id), id, brokers.get(id - 1),
                        controllers.get(id - 1), voters, brokers.size(), clusterId),
                KafkaBroker::awaitReady, KafkaBroker::stop);
        return new KafkaQuorum(root, nodes, controllers, voters, clusterId);
    }

    /** {@code 1@127.0.0.1:<port>,2@...}: the static voters, node ids counted from 1. */
    static String voters(List<Integer> controllerPorts) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < controllerPorts.size(); i++) {
            out.add((i + 1) + "@" + FreePorts.LOOPBACK + ":" + controllerPorts.get(i));
        }
        return String.join(",", out);
    }

    /** Every node's PLAINTEXT listener, comma-separated: the value for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return nodes().stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    /** The nodes in id order (node {@code i + 1} at index {@code i}); a restart replaces its entry. */
    public synchronized List<KafkaBroker> nodes() {
        return List.copyOf(nodes);
    }

    public KafkaBroker node(int id) {
        return nodes().get(id - 1);
    }

    /** Creates the topics that do not exist yet; existing ones are left alone. */
    public void createTopics(List<TopicSpec> topics) {
        KafkaTopics.createMissing(bootstrapServers(), topics);
    }

    /** SIGKILL of node {@code id}, as a crashing broker pod dies: nothing flushed, no clean-shutdown marker. */
    public void kill(int id) {
        node(id).process().kill();
    }

    /** Starts node {@code id} again on its ports and data (after {@link #kill}) and waits until it answers. */
    public synchronized void restart(int id) {
        KafkaBroker old = nodes.get(id - 1);
        old.stop();
        KafkaBroker fresh = KafkaBroker.launchQuorumMember(old.dataDir(), id, old.port(), controllerPorts.get(id - 1),
                voters, nodes.size(), clusterId);
        nodes.set(id - 1, fresh);
        fresh.awaitReady();
    }

    /**
     * Partitions of {@code topics} whose in-sync replica set is smaller than their replica set, as
     * {@code topic-partition [isr]}; empty when every replica has caught up (a restarted node has rejoined).
     */
    public List<String> underReplicated(List<String> topics) {
        try (Admin admin = Admin.create(KafkaTopics.adminConfig(bootstrapServers()))) {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            List<String> out = new ArrayList<>();
            for (TopicDescription topic : described.values()) {
                for (TopicPartitionInfo p : topic.partitions()) {
                    if (p.isr().size() < p.replicas().size()) {
                        out.add(topic.name() + "-" + p.partition() + " " + p.isr());
                    }
                }
            }
            return out;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot describe topics " + topics + ": " + e, e);
        }
    }

    /**
     * Waits until {@link #underReplicated} is empty for {@code topics}, asking twice a second (the
     * Admin API has no change notification), and throws naming the lagging partitions if it is not
     * within {@code timeout}.
     */
    public void awaitFullyReplicated(List<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> lagging = underReplicated(topics);
        while (!lagging.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("partitions still under-replicated after " + timeout + ": " + lagging);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            lagging = underReplicated(topics);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Stops every node in parallel (SIGTERM, then SIGKILL after a timeout). Idempotent. */
    public void stop() {
        ChildProcess.stopInParallel(nodes().stream().map(KafkaBroker::process).toList());
    }

    @Override
    public void close() {
        stop();
    }

    private static Path nodeDir(Path root, int id) {
        return root.resolve("node-" + id);
    }
}
