package dev.tern.local.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Starts and stops a cluster's Kafka side and Infinispan side at the same time, for
 * {@link ProcessCluster} and {@link HaProcessCluster}: each side needs seconds of mostly
 * single-threaded class loading and waiting, so doing them one after the other doubles the wait.
 */
final class ParallelServers {

    /** Both sides, started. */
    record Started<K, I>(K kafka, I infinispan) {
    }

    private ParallelServers() {
    }

    /**
     * Runs both starts in parallel and returns once both have answered. If either fails, the one
     * that did start is stopped and the failure rethrown, so a half-started cluster never leaks.
     */
    static <K, I> Started<K, I> start(Supplier<K> startKafka, Consumer<? super K> stopKafka,
            Supplier<I> startInfinispan, Consumer<? super I> stopInfinispan) {
        CompletableFuture<K> kafka = CompletableFuture.supplyAsync(startKafka, ParallelServers::runOnNewThread);
        CompletableFuture<I> infinispan = CompletableFuture.supplyAsync(startInfinispan,
                ParallelServers::runOnNewThread);
        try {
            CompletableFuture.allOf(kafka, infinispan).join();
        } catch (CompletionException e) {
            kafka.thenAccept(stopKafka);
            infinispan.thenAccept(stopInfinispan);
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return new Started<>(kafka.join(), infinispan.join());
    }

    /** Runs both stops in parallel and returns once both are done. */
    static void stop(Runnable stopKafka, Runnable stopInfinispan) {
        CompletableFuture<Void> kafka = CompletableFuture.runAsync(stopKafka, ParallelServers::runOnNewThread);
        stopInfinispan.run();
        kafka.join();
    }

    private static void runOnNewThread(Runnable task) {
        // Not the common pool: these threads block for seconds, and the pool may have one thread.
        Thread thread = new Thread(task, "tern-cluster-servers");
        thread.setDaemon(true);
        thread.start();
    }
}
