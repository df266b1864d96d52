package dev.tern.local.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * Holds the one {@link EmbeddedCluster} of this JVM behind {@link EmbeddedCluster#shared()}.
 *
 * <p>Started lazily on the first call, under a lock, so concurrent test classes wait for the
 * same start instead of racing. A start failure is remembered and rethrown: retrying a broker
 * that could not start would cost every later test class the full start timeout. A shutdown hook
 * stops the cluster and deletes its temporary directory; it does the two in order, in one hook,
 * because the JVM runs separate hooks concurrently.
 */
final class SharedCluster {

    private static final Logger LOG = Logger.getLogger(SharedCluster.class);

    private static EmbeddedCluster instance;
    private static RuntimeException failure;

    private SharedCluster() {
    }

    static synchronized EmbeddedCluster get() {
        if (failure != null) {
            throw new IllegalStateException("the shared Tern cluster failed to start earlier", failure);
        }
        if (instance == null) {
            try {
                instance = start();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return instance;
    }

    private static EmbeddedCluster start() {
        String backend = setting("tern.local.backend", "auto").toLowerCase(Locale.ROOT);
        boolean containers = backend.equals("containers")
                || (backend.equals("auto") && ContainerCluster.dockerAvailable());
        long started = System.nanoTime();
        EmbeddedCluster cluster;
        Path dir = null;
        if (containers) {
            cluster = ContainerCluster.start();
        } else {
            dir = createTempDir();
            try {
                cluster = ProcessCluster.start(dir, 0, 0);
            } catch (RuntimeException e) {
                deleteRecursively(dir);
                throw e;
            }
        }
        LOG.infof("Tern %s cluster started in %d ms: kafka %s, infinispan %s%s", cluster.backend(),
                (System.nanoTime() - started) / 1_000_000, cluster.kafkaBootstrapServers(),
                cluster.infinispanHosts(), dir == null ? "" : ", data and logs in " + dir);
        Path dataDir = dir;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.stop();
            if (dataDir != null) {
                deleteRecursively(dataDir);
            }
        }, "tern-shared-cluster-stop"));
        return cluster;
    }

    private static String setting(String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("tern-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the Tern cluster", e);
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort at exit: a leftover temp dir is harmless, an exception here is noise.
        }
    }
}
