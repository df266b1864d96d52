package dev.tern.local.runtime;

import java.nio.file.Path;
import java.util.List;

import dev.tern.local.runtime.infinispan.InfinispanPair;
import dev.tern.local.runtime.kafka.KafkaQuorum;

/**
 * {@link EmbeddedCluster} that survives the loss of any one server: a three-node Kafka quorum
 * ({@link KafkaQuorum}, data in {@code <dataDir>/kafka-ha}) and a clustered Infinispan pair
 * ({@link InfinispanPair}, {@code <dataDir>/infinispan-ha}), all child processes on 127.0.0.1
 * (docs/ARCHITECTURE.md, "Local HA cluster"). Separate directories from {@link ProcessCluster}'s,
 * so switching between the two modes never mixes a single-node log into a quorum.
 *
 * <p>Both start in parallel ({@link ChildProcessCluster}); if either fails the other is stopped and the
 * failure rethrown.
 */
public final class HaProcessCluster extends ChildProcessCluster<KafkaQuorum, InfinispanPair> {

    private final KafkaQuorum kafka;
    private final InfinispanPair infinispan;

    private HaProcessCluster(KafkaQuorum kafka, InfinispanPair infinispan) {
        this.kafka = kafka;
        this.infinispan = infinispan;
    }

    /** Starts brokers on {@code kafkaPorts} and Infinispan servers on {@code infinispanPorts} (0: free ports). */
    public static HaProcessCluster start(Path dataDir, List<Integer> kafkaPorts, List<Integer> infinispanPorts) {
        Started<KafkaQuorum, InfinispanPair> clusters = startBoth(
                () -> KafkaQuorum.start(dataDir.resolve("kafka-ha"), kafkaPorts),
                () -> InfinispanPair.start(dataDir.resolve("infinispan-ha"), infinispanPorts));
        return new HaProcessCluster(clusters.kafka(), clusters.infinispan());
    }

    @Override
    public String backend() {
        return "processes (HA)";
    }

    @Override
    public KafkaQuorum kafka() {
        return kafka;
    }

    @Override
    public InfinispanPair infinispan() {
        return infinispan;
    }
}
