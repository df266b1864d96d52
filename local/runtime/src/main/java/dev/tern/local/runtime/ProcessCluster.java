package dev.tern.local.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.tern.local.runtime.infinispan.InfinispanServer;
import dev.tern.local.runtime.kafka.KafkaBroker;
import dev.tern.local.runtime.kafka.SecuredListeners;
import dev.tern.local.runtime.kafka.TopicSpec;
import dev.tern.local.runtime.process.ChildProcess;

/**
 * {@link EmbeddedCluster} backed by a {@link KafkaBroker} and an {@link InfinispanServer} running
 * as child JVMs, data in {@code <dataDir>/kafka} and {@code <dataDir>/infinispan}.
 *
 * <p>Both servers start in parallel (each needs several seconds of mostly single-threaded class
 * loading). If either fails the other is stopped and the failure is rethrown, so a half-started
 * cluster never leaks.
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
        CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(
                () -> KafkaBroker.start(dataDir.resolve("kafka"), kafkaPort, kafkaSecured),
                ProcessCluster::runOnNewThread);
        CompletableFuture<InfinispanServer> infinispan = CompletableFuture.supplyAsync(
                () -> InfinispanServer.start(dataDir.resolve("infinispan"), infinispanPort), ProcessCluster::runOnNewThread);
        try {
            CompletableFuture.allOf(kafka, infinispan).join();
        } catch (CompletionException e) {
            kafka.thenAccept(KafkaBroker::stop);
            infinispan.thenAccept(InfinispanServer::stop);
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return new ProcessCluster(kafka.join(), infinispan.join(), Duration.ofNanos(System.nanoTime() - started));
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
        kill(kafka.process());
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
        kill(infinispan.process());
    }

    /** Starts the Infinispan server again on its port and server root. */
    public synchronized void restartInfinispan() {
        InfinispanServer old = infinispan;
        old.stop();
        infinispan = InfinispanServer.start(old.serverRoot(), old.port());
    }

    private static void kill(ChildProcess process) {
        process.handle().destroyForcibly();
        process.awaitExit(Duration.ofSeconds(30));
    }

    /** Wall-clock time from {@link #start} until both servers answered. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Stops both servers in parallel. */
    @Override
    public void stop() {
        CompletableFuture<Void> stopKafka = CompletableFuture.runAsync(kafka::stop, ProcessCluster::runOnNewThread);
        infinispan.stop();
        stopKafka.join();
    }

    private static void runOnNewThread(Runnable task) {
        // Not the common pool: these threads block for seconds, and the pool may have one thread.
        Thread thread = new Thread(task, "tern-cluster-start");
        thread.setDaemon(true);
        thread.start();
    }
}
