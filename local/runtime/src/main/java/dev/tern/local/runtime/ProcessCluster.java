package dev.tern.local.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.tern.local.runtime.infinispan.InfinispanServer;
import dev.tern.local.runtime.kafka.KafkaBroker;
import dev.tern.local.runtime.kafka.SecuredListeners;
import dev.tern.local.runtime.kafka.TopicSpec;

/**
 * {@link EmbeddedCluster} backed by a {@link KafkaBroker} and an {@link InfinispanServer} running
 * as child JVMs, data in {@code <dataDir>/kafka} and {@code <dataDir>/infinispan}.
 *
 * <p>Both servers start in parallel ({@link ParallelServers}). If either fails the other is stopped
 * and the failure is rethrown, so a half-started cluster never leaks.
 */
public final class ProcessCluster implements EmbeddedCluster {

    private volatile KafkaBroker kafka;
    private volatile InfinispanServer infinispan;
    private final Duration startupTime;

    private ProcessCluster(KafkaBroker kafka, InfinispanServer infinispan, Duration startupTime) {
        this.kafka = kafka;
        this.infinispan = infinispan;
        this.startupTime = startupTime;
    }

    /** Starts both servers (ports 0: free ports) and returns once both answer. */
    public static ProcessCluster start(Path dataDir, int kafkaPort, int infinispanPort) {
        return start(dataDir, kafkaPort, infinispanPort, null);
    }

    /** As {@link #start(Path, int, int)}, the broker also with {@code kafkaSecured}'s listeners unless null. */
    public static ProcessCluster start(Path dataDir, int kafkaPort, int infinispanPort,
            SecuredListeners kafkaSecured) {
        long started = System.nanoTime();
        ParallelServers.Started<KafkaBroker, InfinispanServer> servers = ParallelServers.start(
                () -> KafkaBroker.start(dataDir.resolve("kafka"), kafkaPort, kafkaSecured), KafkaBroker::stop,
                () -> InfinispanServer.start(dataDir.resolve("infinispan"), infinispanPort), InfinispanServer::stop);
        return new ProcessCluster(servers.kafka(), servers.infinispan(), Duration.ofNanos(System.nanoTime() - started));
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String infinispanHosts() {
        return infinispan.hosts();
    }

    @Override
    public void createTopics(List<TopicSpec> topics) {
        kafka.createTopics(topics);
    }

    @Override
    public String backend() {
        return "processes";
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    /**
     * SIGKILL of the Kafka broker, as a crashing broker pod would die (fault-injection tests);
     * {@link #restartKafka} brings it back.
     */
    public void killKafka() {
        kafka.process().kill();
    }

    /** Starts the broker again on its port and data directory (after {@link #killKafka}, or to restart it). */
    public synchronized void restartKafka() {
        KafkaBroker old = kafka;
        old.stop();
        kafka = KafkaBroker.start(old.dataDir(), old.port(), old.securedListeners().orElse(null));
    }

    public InfinispanServer infinispan() {
        return infinispan;
    }

    /** SIGKILL of the Infinispan server (fault-injection tests); {@link #restartInfinispan} brings it back. */
    public void killInfinispan() {
        infinispan.process().kill();
    }

    /** Starts the Infinispan server again on its port and server root. */
    public synchronized void restartInfinispan() {
        InfinispanServer old = infinispan;
        old.stop();
        infinispan = InfinispanServer.start(old.serverRoot(), old.port());
    }

    /** Wall-clock time from {@link #start} until both servers answered. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Stops both servers in parallel. */
    @Override
    public void stop() {
        ParallelServers.stop(kafka::stop, infinispan::stop);
    }
}
