package dev.tern.local.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.tern.local.runtime.infinispan.InfinispanBackend;
import dev.tern.local.runtime.kafka.KafkaBackend;
import dev.tern.local.runtime.kafka.TopicSpec;

/**
 * What {@link ProcessCluster} (one server each) and {@link HaProcessCluster} (a quorum and a pair)
 * share: a Kafka side and an Infinispan side run as child processes, started and stopped at the
 * same time. Each side needs seconds of mostly single-threaded class loading and waiting, so doing
 * them one after the other would double the wait.
 */
abstract class ChildProcessCluster<K extends KafkaBackend, I extends InfinispanBackend> implements EmbeddedCluster {

    /** Both sides, started. */
    record Started<K, I>(K kafka, I infinispan) {
    }

    /**
     * Runs both starts in parallel and returns once both have answered. If either fails, the one
     * that did start is stopped and the failure rethrown, so a half-started cluster never leaks.
     */
    static <K extends KafkaBackend, I extends InfinispanBackend> Started<K, I> startBoth(Supplier<K> startKafka,
            Supplier<I> startInfinispan) {
        CompletableFuture<K> kafka = CompletableFuture.supplyAsync(startKafka, ChildProcessCluster::runOnNewThread);
        CompletableFuture<I> infinispan = CompletableFuture.supplyAsync(startInfinispan,
                ChildProcessCluster::runOnNewThread);
        try {
            CompletableFuture.allOf(kafka, infinispan).join();
        } catch (CompletionException e) {
            kafka.thenAccept(KafkaBackend::stop);
            infinispan.thenAccept(InfinispanBackend::stop);
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return new Started<>(kafka.join(), infinispan.join());
    }

    public abstract K kafka();

    public abstract I infinispan();

    @Override
    public String kafkaBootstrapServers() {
        return kafka().bootstrapServers();
    }

    @Override
    public String infinispanHosts() {
        return infinispan().hosts();
    }

    @Override
    public void createTopics(List<TopicSpec> topics) {
        kafka().createTopics(topics);
    }

    /** Stops both sides in parallel and returns once both are down. */
    @Override
    public void stop() {
        CompletableFuture<Void> stopKafka = CompletableFuture.runAsync(kafka()::stop,
                ChildProcessCluster::runOnNewThread);
        infinispan().stop();
        stopKafka.join();
    }

    private static void runOnNewThread(Runnable task) {
        // Not the common pool: these threads block for seconds, and the pool may have one thread.
        Thread thread = new Thread(task, "tern-cluster-servers");
        thread.setDaemon(true);
        thread.start();
    }
}
