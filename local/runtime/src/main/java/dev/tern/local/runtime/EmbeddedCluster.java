package dev.tern.local.runtime;

import java.nio.file.Path;
import java.util.List;

import dev.tern.local.runtime.kafka.TopicSpec;

/**
 * A running Kafka + Infinispan pair for the local launcher and the tests: the two servers Tern's
 * services need, reachable on 127.0.0.1.
 *
 * <p>Two backends behind this one contract: {@link ProcessCluster} (real servers as child JVMs,
 * the default, and the only one on machines without a container engine) and
 * {@link ContainerCluster} (Testcontainers, where a Docker engine answers). {@link #shared()}
 * picks one and starts it at most once per JVM.
 *
 * <p>Implementations are thread-safe; {@link #stop()} is idempotent.
 */
public interface EmbeddedCluster extends AutoCloseable {

    /** Value for {@code bootstrap.servers}, e.g. {@code 127.0.0.1:40123}. */
    String kafkaBootstrapServers();

    /** Value for {@code quarkus.infinispan-client.hosts}, e.g. {@code 127.0.0.1:40155}. */
    String infinispanHosts();

    /** Creates the topics that do not exist yet; existing topics are left alone. */
    void createTopics(List<TopicSpec> topics);

    /** {@code "processes"} or {@code "containers"}, for logs and test reports. */
    String backend();

    /** Stops both servers. */
    void stop();

    @Override
    default void close() {
        stop();
    }

    /**
     * The cluster shared by everything in this JVM, started on first use (in parallel, typically
     * 5–15 s) and stopped, its temporary data deleted, by a shutdown hook. The backend is chosen by
     * system property or environment variable {@code tern.local.backend} /
     * {@code TERN_LOCAL_BACKEND}: {@code processes}, {@code containers}, or {@code auto} (the
     * default: containers when Docker is available, else processes).
     *
     * @throws IllegalStateException if the cluster cannot start; later calls rethrow the same
     *     failure instead of trying again
     */
    static EmbeddedCluster shared() {
        return SharedCluster.get();
    }

    /** Starts child-process servers on the given ports (0: free ports), data under {@code dataDir}. */
    static ProcessCluster startProcesses(Path dataDir, int kafkaPort, int infinispanPort) {
        return ProcessCluster.start(dataDir, kafkaPort, infinispanPort);
    }
}
