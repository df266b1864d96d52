package dev.tern.local.runtime;

import java.nio.file.Path;
import java.time.Duration;

import dev.tern.local.runtime.infinispan.InfinispanServer;
import dev.tern.local.runtime.kafka.KafkaBroker;
import dev.tern.local.runtime.kafka.SecuredListeners;

/**
 * {@link EmbeddedCluster} backed by a {@link KafkaBroker} and an {@link InfinispanServer} running
 * as child JVMs, data in {@code <dataDir>/kafka} and {@code <dataDir>/infinispan}.
 *
 * <p>Both servers start in parallel ({@link ChildProcessCluster}). If either fails the other is stopped
 * and the failure is rethrown, so a half-started cluster never leaks.
 */
public final class ProcessCluster extends ChildProcessCluster<KafkaBroker, InfinispanServer> {

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
        Started<KafkaBroker, InfinispanServer> servers = startBoth(
                () -> KafkaBroker.start(dataDir.resolve("kafka"), kafkaPort, kafkaSecured),
                () -> InfinispanServer.start(dataDir.resolve("infinispan"), infinispanPort));
        return new ProcessCluster(servers.kafka(), servers.infinispan(), Duration.ofNanos(System.nanoTime() - started));
    }

    @Override
    public String backend() {
        return "processes";
    }

    @Override
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

    @Override
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
}
