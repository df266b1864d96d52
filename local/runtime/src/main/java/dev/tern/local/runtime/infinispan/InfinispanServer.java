package dev.tern.local.runtime.infinispan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * endpoint has no authentication; a server started with {@link InfinispanSecurity} also gets the
 * overlays {@code conf/infinispan-security.xml} and {@code conf/infinispan-authorization.xml},
 * its keystore and its users), {@code lib/} (empty; the server requires it), {@code data/}
 * (global state, survives restarts) and the server log {@code infinispan.log}. Each start uses a
 * fresh JGroups cluster name so that no two local servers ever join each other.
 *
 * <p>{@link #start} returns once the server has logged that it started and a Hot Rod client can
 * list the caches, and throws
 * {@link IllegalStateException} with the tail of the server log if the server exits or is not
 * ready within {@link #START_TIMEOUT}. Thread-safe.
 */
public final class InfinispanServer implements InfinispanBackend, AutoCloseable {

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
    private final InfinispanSecurity security;
    private final ChildProcess process;

    private InfinispanServer(Path serverRoot, int port, InfinispanSecurity security, ChildProcess process) {
        this.serverRoot = serverRoot;
        this.port = port;
        this.security = security;
        this.process = process;
    }

    /** Starts a server on a free port. */
    public static InfinispanServer start(Path serverRoot) {
        return start(serverRoot, 0);
    }

    /** Starts a server listening on 127.0.0.1:{@code port} (0: a free port) and waits until it answers. */
    public static InfinispanServer start(Path serverRoot, int port) {
        return start(serverRoot, port, null);
    }

    /**
     * Starts a server whose endpoint requires TLS and authentication and whose caches enforce
     * authorization, as {@code security} says (null: the open local server), on a free port.
     */
    public static InfinispanServer startSecured(Path serverRoot, InfinispanSecurity security) {
        return start(serverRoot, 0, security);
    }

    private static InfinispanServer start(Path serverRoot, int port, InfinispanSecurity security) {
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
        List<String> args = new ArrayList<>(List.of("-s", root.toString(), "-c", "infinispan.xml",
                "-b", FreePorts.LOOPBACK, "-p", Integer.toString(bindPort)));
        if (security != null) {
            Resources.copy("tern/infinispan-security.xml", root.resolve("conf/infinispan-security.xml"));
            security.writeTo(root.resolve("conf"));
            args.addAll(List.of("-c", "infinispan-security.xml"));
            if (security.authorization()) {
                Resources.copy("tern/infinispan-authorization.xml", root.resolve("conf/infinispan-authorization.xml"));
                args.addAll(List.of("-c", "infinispan-authorization.xml"));
            }
        }

        ChildProcess child = ChildProcess.java("infinispan", "org.infinispan.server.Bootstrap")
                .classpath(ServerClasspath.forServer(ServerClasspath.INFINISPAN))
                .jvmArgs(JVM_ARGS)
                .systemProperty("infinispan.server.home.path", root)
                .systemProperty("jgroups.bind.address", FreePorts.LOOPBACK)
                .systemProperty("infinispan.cluster.name", "tern-local-" + UUID.randomUUID())
                .systemProperty("tern.infinispan.keystore.password", security == null ? "" : security.keystorePassword())
                .workDir(root)
                .logFile(root.resolve("infinispan.log"))
                .args(args.toArray(String[]::new))
                .start();
        // Hot Rod requests sent while the cache manager is still starting can tie up the server's
        // small blocking pool and stall its start-up, so the probe waits for the "started" line.
        Await.ready(child, START_TIMEOUT, () -> child.logContains(STARTED) && answersHotRod(bindPort, security));
        return new InfinispanServer(root, bindPort, security, child);
    }

    /**
     * Starts member {@code nodeName} of a clustered pair ({@link InfinispanPair}) on Hot Rod port
     * {@code port}, with JGroups as {@code jgroups} renders it, and does not wait: the pair
     * starts both members, then calls {@link #awaitClusterOf} on each.
     */
    static InfinispanServer launchClusterMember(Path serverRoot, int port, String nodeName, String clusterName,
            InfinispanClusterConfig jgroups) {
        Path root = serverRoot.toAbsolutePath();
        try {
            Files.createDirectories(root.resolve("lib"));
            Files.createDirectories(root.resolve("data"));
            Files.createDirectories(root.resolve("log"));
            Files.createDirectories(root.resolve("conf"));
            Files.writeString(root.resolve("conf/" + InfinispanClusterConfig.FILE), jgroups.render());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Infinispan server root " + root, e);
        }
        Resources.copy("tern/infinispan.xml", root.resolve("conf/infinispan.xml"));
        Resources.copy("tern/infinispan-log4j2.xml", root.resolve("conf/log4j2.xml"));
        // The stack file comes first: the transport in infinispan.xml names its stack when parsed.
        ChildProcess child = ChildProcess.java("infinispan-" + nodeName, "org.infinispan.server.Bootstrap")
                .classpath(ServerClasspath.forServer(ServerClasspath.INFINISPAN))
                .jvmArgs(JVM_ARGS)
                .systemProperty("infinispan.server.home.path", root)
                .systemProperty("jgroups.bind.address", FreePorts.LOOPBACK)
                .systemProperty("infinispan.cluster.name", clusterName)
                .systemProperty("infinispan.cluster.stack", InfinispanClusterConfig.STACK)
                .systemProperty("infinispan.node.name", nodeName)
                .systemProperty("tern.infinispan.keystore.password", "")
                .workDir(root)
                .logFile(root.resolve("infinispan.log"))
                .args("-s", root.toString(), "-c", InfinispanClusterConfig.FILE, "-c", "infinispan.xml",
                        "-b", FreePorts.LOOPBACK, "-p", Integer.toString(port))
                .start();
        return new InfinispanServer(root, port, null, child);
    }

    /**
     * Waits until this server has started, answers Hot Rod, and has logged a cluster view of
     * {@code members} nodes (this run's log only, so a restarted member waits until it has joined).
     */
    void awaitClusterOf(int members) {
        String view = "(" + members + ") [";
        Await.ready(process, START_TIMEOUT, () -> process.logContains(STARTED) && process.logContains(view)
                && answersHotRod(port, null));
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

    /**
     * A started Hot Rod client for this server, the caller closes it: without authentication, or
     * for a secured server over TLS as its first user.
     */
    public RemoteCacheManager client() {
        return new RemoteCacheManager(clientConfig(port, security).build());
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

    /**
     * {@link #clientConfig(int)}, and for a secured server TLS trusting the CA in its keystore and
     * the credentials of its first user.
     */
    private static ConfigurationBuilder clientConfig(int port, InfinispanSecurity security) {
        ConfigurationBuilder builder = clientConfig(port);
        if (security != null) {
            builder.security().ssl().enable()
                    .trustStoreFileName(security.keystore().toString()).trustStoreType("PKCS12")
                    .trustStorePassword(security.keystorePassword().toCharArray())
                    .sniHostName(FreePorts.LOOPBACK);
            builder.security().authentication().enable()
                    .username(security.probeUser().name()).password(security.probeUser().password());
        }
        return builder;
    }

    private static boolean answersHotRod(int port, InfinispanSecurity security) {
        if (!FreePorts.isListening(port)) {
            return false;
        }
        ConfigurationBuilder config = clientConfig(port, security);
        config.maxRetries(0);
        try (RemoteCacheManager client = new RemoteCacheManager(config.build())) {
            client.getCacheNames();
            return true;
        }
    }
}
