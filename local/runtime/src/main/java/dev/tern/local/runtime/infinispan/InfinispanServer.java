package dev.tern.local.runtime.infinispan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.client.hotrod.configuration.ConfigurationBuilder;

import dev.tern.local.runtime.process.Await;
import dev.tern.local.runtime.process.ChildProcess;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.runtime.process.Resources;
import dev.tern.local.runtime.process.ServerClasspath;

/**
 * A real Infinispan 16 server ({@code org.infinispan.server.Bootstrap}) running as a
 * {@link ChildProcess} on 127.0.0.1, with one single-port endpoint (Hot Rod and REST).
 *
 * <p>Owns its server root: {@code conf/infinispan.xml} and {@code conf/log4j2.xml} (copied from
 * this module on every start; see the comment in {@code tern/infinispan.xml} for why the
 * endpoint has no authentication), {@code lib/} (empty; the server requires it), {@code data/}
 * (global state, survives restarts) and the server log {@code infinispan.log}. Each start uses a
 * fresh JGroups cluster name so that no two local servers ever join each other.
 *
 * <p>{@link #start} returns once the server has logged that it started and a Hot Rod client can
 * list the caches, and throws
 * {@link IllegalStateException} with the tail of the server log if the server exits or is not
 * ready within {@link #START_TIMEOUT}. Thread-safe.
 */
public final class InfinispanServer implements AutoCloseable {

    /** Port of a developer's local server, the Infinispan default. Tests use 0 instead. */
    public static final int DEFAULT_PORT = 11222;

    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /** Log message id of "Infinispan Server ... started in ...". */
    private static final String STARTED = "ISPN080001";

    private static final String[] JVM_ARGS = {
        "-Xms32m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djava.awt.headless=true", "-Djava.net.preferIPv4Stack=true",
    };

    private final Path serverRoot;
    private final int port;
    private final ChildProcess process;

    private InfinispanServer(Path serverRoot, int port, ChildProcess process) {
        this.serverRoot = serverRoot;
        this.port = port;
        this.process = process;
    }

    /** Starts a server on a free port. */
    public static InfinispanServer start(Path serverRoot) {
        return start(serverRoot, 0);
    }

    /** Starts a server listening on 127.0.0.1:{@code port} (0: a free port) and waits until it answers. */
    public static InfinispanServer start(Path serverRoot, int port) {
        Path root = serverRoot.toAbsolutePath();
        int bindPort = FreePorts.orPick(port);
        try {
            Files.createDirectories(root.resolve("lib"));
            Files.createDirectories(root.resolve("data"));
            Files.createDirectories(root.resolve("log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Infinispan server root " + root, e);
        }
        Resources.copy("tern/infinispan.xml", root.resolve("conf/infinispan.xml"));
        Resources.copy("tern/infinispan-log4j2.xml", root.resolve("conf/log4j2.xml"));

        ChildProcess child = ChildProcess.java("infinispan", "org.infinispan.server.Bootstrap")
                .classpath(ServerClasspath.forServer(ServerClasspath.INFINISPAN))
                .jvmArgs(JVM_ARGS)
                .systemProperty("infinispan.server.home.path", root)
                .systemProperty("jgroups.bind.address", FreePorts.LOOPBACK)
                .systemProperty("infinispan.cluster.name", "tern-local-" + UUID.randomUUID())
                .workDir(root)
                .logFile(root.resolve("infinispan.log"))
                .args("-s", root.toString(), "-c", "infinispan.xml",
                        "-b", FreePorts.LOOPBACK, "-p", Integer.toString(bindPort))
                .start();
        // Hot Rod requests sent while the cache manager is still starting can tie up the server's
        // small blocking pool and stall its start-up, so the probe waits for the "started" line.
        Await.ready(child, START_TIMEOUT, () -> child.logContains(STARTED) && answersHotRod(bindPort));
        return new InfinispanServer(root, bindPort, child);
    }

    /** {@code 127.0.0.1:<port>}, the value for {@code quarkus.infinispan-client.hosts}. */
    public String hosts() {
        return FreePorts.LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path serverRoot() {
        return serverRoot;
    }

    public ChildProcess process() {
        return process;
    }

    /** A started Hot Rod client for this server (no authentication); the caller closes it. */
    public RemoteCacheManager client() {
        return new RemoteCacheManager(clientConfig(port).build());
    }

    /** Hot Rod client settings for a local server on {@code port}; callers may add to them. */
    public static ConfigurationBuilder clientConfig(int port) {
        ConfigurationBuilder builder = new ConfigurationBuilder();
        builder.addServer().host(FreePorts.LOOPBACK).port(port);
        builder.connectionTimeout(2_000).socketTimeout(10_000);
        return builder;
    }

    /** Stops the server cleanly (SIGTERM, then SIGKILL after a timeout). Idempotent. */
    public void stop() {
        process.stop();
    }

    @Override
    public void close() {
        stop();
    }

    private static boolean answersHotRod(int port) {
        if (!FreePorts.isListening(port)) {
            return false;
        }
        ConfigurationBuilder config = clientConfig(port);
        config.maxRetries(0);
        try (RemoteCacheManager client = new RemoteCacheManager(config.build())) {
            client.getCacheNames();
            return true;
        }
    }
}
