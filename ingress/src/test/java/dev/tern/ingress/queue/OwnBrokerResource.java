package dev.tern.ingress.queue;

import dev.tern.local.runtime.EmbeddedCluster;
import dev.tern.local.runtime.ProcessCluster;
import dev.tern.local.runtime.kafka.KafkaBroker;
import dev.tern.local.runtime.kafka.TopicSpec;
import dev.tern.local.runtime.testing.TernClusterResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Kafka broker and Infinispan server of this test class's own, not the JVM-wide shared ones,
 * because the test kills the broker: {@link #killBroker()} and {@link #restartBroker()} act on it.
 */
public final class OwnBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static ProcessCluster cluster;
    private static KafkaBroker restarted;

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
        var p = current().process();
        p.handle().destroyForcibly();
        p.awaitExit(java.time.Duration.ofSeconds(30));
    }

    /** Starts the broker again on the same data directory and port. */
    public static void restartBroker() {
        KafkaBroker old = current();
        restarted = KafkaBroker.start(old.dataDir(), old.port());
    }

    public static long pid() {
        return current().process().pid();
    }

    public static String bootstrap() {
        return current().bootstrapServers();
    }

    private static KafkaBroker current() {
        return restarted != null ? restarted : cluster.kafka();
    }

    @Override
    public void stop() {
        if (restarted != null) {
            restarted.stop();
        }
        cluster.stop();
    }
}
