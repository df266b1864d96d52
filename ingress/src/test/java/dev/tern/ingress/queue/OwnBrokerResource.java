package dev.tern.ingress.queue;

import dev.tern.local.runtime.EmbeddedCluster;
import dev.tern.local.runtime.ProcessCluster;
import dev.tern.local.runtime.kafka.TopicSpec;
import dev.tern.local.testkit.TernClusterResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Kafka broker and Infinispan server of this test class's own, not the JVM-wide shared ones,
 * because the test kills the servers: {@link #killBroker()}, {@link #restartBroker()} and
 * {@link #killInfinispan()} act on them.
 */
public final class OwnBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static ProcessCluster cluster;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("tern-outage-");
            cluster = EmbeddedCluster.startProcesses(dir, 0, 0);
            cluster.createTopics(List.of(TopicSpec.of("tern.inbound", 2)));
            return TernClusterResource.config(cluster);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: the broker dies as a crashed node would. */
    public static void killBroker() {
        cluster.killKafka();
    }

    /** Starts the broker again on the same data directory and port. */
    public static void restartBroker() {
        cluster.restartKafka();
    }

    /** SIGKILL of the Infinispan server; nothing here starts it again. */
    public static void killInfinispan() {
        cluster.killInfinispan();
    }

    public static String bootstrap() {
        return cluster.kafka().bootstrapServers();
    }

    @Override
    public void stop() {
        cluster.stop();
    }
}
