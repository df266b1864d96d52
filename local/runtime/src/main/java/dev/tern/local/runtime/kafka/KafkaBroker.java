package dev.tern.local.runtime.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

import dev.tern.local.runtime.process.Await;
import dev.tern.local.runtime.process.ChildProcess;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.runtime.process.Resources;
import dev.tern.local.runtime.process.ServerClasspath;

/**
 * A real single-node Apache Kafka 4.4 (KRaft, broker and controller in one JVM) running as a
 * {@link ChildProcess} on 127.0.0.1.
 *
 * <p>Owns its data directory: {@code server.properties}, {@code log4j2.xml}, {@code ports.properties},
 * the broker log {@code kafka.log}, and the partition data under {@code kraft/}. The storage is
 * formatted ({@code StorageTool format --standalone}) only when {@code kraft/meta.properties}
 * does not exist yet, so records survive a restart on the same directory. Ports picked for port
 * 0 are remembered in {@code ports.properties} and reused on restart, because the controller's
 * address is part of the persisted quorum state.
 *
 * <p>With {@link SecuredListeners} it also listens with {@code SASL_SSL} (SCRAM-SHA-512) and
 * {@code SSL} (client certificate required) on ports of their own, remembered the same way.
 *
 * <p>{@link #start} returns once an Admin client's {@code describeCluster} succeeds, and throws
 * {@link IllegalStateException} with the tail of the broker log if the broker exits or is not
 * ready within {@link #START_TIMEOUT}. Thread-safe.
 */
public final class KafkaBroker implements KafkaBackend, AutoCloseable {

    /** Generous: the build machine has two cores shared with other builds. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /** Heap and JIT settings: small and quick to start rather than fast at steady state. */
    private static final String[] JVM_ARGS = {
        "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djava.awt.headless=true", "-Djava.net.preferIPv4Stack=true",
    };

    private final Path dataDir;
    private final int port;
    private final SecuredListeners secured;
    private final int saslSslPort;
    private final int sslPort;
    private final ChildProcess process;

    private KafkaBroker(Path dataDir, int port, SecuredListeners secured, int saslSslPort, int sslPort,
            ChildProcess process) {
        this.dataDir = dataDir;
        this.port = port;
        this.secured = secured;
        this.saslSslPort = saslSslPort;
        this.sslPort = sslPort;
        this.process = process;
    }

    /** Starts a broker on a free port. */
    public static KafkaBroker start(Path dataDir) {
        return start(dataDir, 0);
    }

    /**
     * Starts a broker whose PLAINTEXT listener is 127.0.0.1:{@code port} (0: the port used last
     * time in this directory, else a free one) and waits until it answers.
     */
    public static KafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, null);
    }

    /**
     * As {@link #start(Path, int)}, with the {@code SASL_SSL} and {@code SSL} listeners of
     * {@code secured} on free ports as well (none when it is null).
     */
    public static KafkaBroker start(Path dataDir, int port, SecuredListeners secured) {
        Path dir = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Properties ports = loadPorts(dir);
            int brokerPort = port != 0 ? port : Integer.parseInt(ports.getProperty("broker.port", "0"));
            brokerPort = FreePorts.orPick(brokerPort);
            int controllerPort = FreePorts.orPick(Integer.parseInt(ports.getProperty("controller.port", "0")));
            int saslSslPort = secured == null ? 0 : securedPort(secured.saslSslPort(), ports, "sasl-ssl.port");
            int sslPort = secured == null ? 0 : securedPort(secured.sslPort(), ports, "ssl.port");
            ports.setProperty("broker.port", Integer.toString(brokerPort));
            ports.setProperty("controller.port", Integer.toString(controllerPort));
            if (secured != null) {
                ports.setProperty("sasl-ssl.port", Integer.toString(saslSslPort));
                ports.setProperty("ssl.port", Integer.toString(sslPort));
            }
            try (var out = Files.newBufferedWriter(dir.resolve("ports.properties"))) {
                ports.store(out, "ports of the local Kafka broker, reused on restart");
            }

            Path logDir = dir.resolve("kraft");
            Files.writeString(dir.resolve("server.properties"),
                    KafkaServerProperties.render(KafkaServerProperties.of(brokerPort, controllerPort, logDir,
                            secured, saslSslPort, sslPort)));
            Resources.copy("tern/kafka-log4j2.xml", dir.resolve("log4j2.xml"));
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(dir, secured);
            }

            ChildProcess child = javaChild("kafka", "kafka.Kafka", dir)
                    .args(dir.resolve("server.properties").toString())
                    .start();
            String bootstrap = FreePorts.LOOPBACK + ":" + brokerPort;
            int readyPort = brokerPort;
            Await.ready(child, START_TIMEOUT, () -> describesCluster(bootstrap, readyPort));
            return new KafkaBroker(dir, brokerPort, secured, saslSslPort, sslPort, child);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data directory " + dir, e);
        }
    }

    /**
     * Starts member {@code nodeId} of a KRaft quorum ({@link KafkaQuorum}) in {@code dataDir} on the
     * given ports, formatting its storage with {@code clusterId} the first time, and does not wait:
     * a member answers only once a majority of {@code voters} runs, so the quorum starts every
     * member and then calls {@link #awaitReady()} on each.
     */
    static KafkaBroker launchQuorumMember(Path dataDir, int nodeId, int brokerPort, int controllerPort, String voters,
            int replicas, String clusterId) {
        Path dir = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Path logDir = dir.resolve("kraft");
            Files.writeString(dir.resolve("server.properties"), KafkaServerProperties.render(
                    KafkaServerProperties.quorumMember(nodeId, brokerPort, controllerPort, voters, replicas, logDir)));
            Resources.copy("tern/kafka-log4j2.xml", dir.resolve("log4j2.xml"));
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                // Static voters (controller.quorum.voters): no --standalone, every member formats alike.
                runFormatter(dir, List.of("format", "--ignore-formatted", "-t", clusterId,
                        "-c", dir.resolve("server.properties").toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data directory " + dir, e);
        }
        ChildProcess child = javaChild("kafka-" + nodeId, "kafka.Kafka", dir)
                .args(dir.resolve("server.properties").toString())
                .start();
        return new KafkaBroker(dir, brokerPort, null, 0, 0, child);
    }

    /** Waits until this broker answers {@code describeCluster} (see {@link #start}). */
    void awaitReady() {
        String bootstrap = bootstrapServers();
        Await.ready(process, START_TIMEOUT, () -> describesCluster(bootstrap, port));
    }

    /** {@code 127.0.0.1:<port>}, the value for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return FreePorts.LOOPBACK + ":" + port;
    }

    /** {@code 127.0.0.1:<port>} of the SCRAM-SHA-512 {@code SASL_SSL} listener. */
    public String saslSslBootstrapServers() {
        return FreePorts.LOOPBACK + ":" + securedPort(saslSslPort);
    }

    /** {@code 127.0.0.1:<port>} of the {@code SSL} listener that requires a client certificate. */
    public String sslBootstrapServers() {
        return FreePorts.LOOPBACK + ":" + securedPort(sslPort);
    }

    /** The secured listeners it was started with, if any (a restart takes them again). */
    public Optional<SecuredListeners> securedListeners() {
        return Optional.ofNullable(secured);
    }

    private int securedPort(int securedListenerPort) {
        if (secured == null) {
            throw new IllegalStateException("this broker was started without secured listeners");
        }
        return securedListenerPort;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public ChildProcess process() {
        return process;
    }

    /** Creates the topics that do not exist yet; existing ones are left alone. */
    public void createTopics(List<TopicSpec> topics) {
        KafkaTopics.createMissing(bootstrapServers(), topics);
    }

    /** A new Admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(KafkaTopics.adminConfig(bootstrapServers()));
    }

    /** Stops the broker cleanly (SIGTERM, then SIGKILL after a timeout). Idempotent. */
    public void stop() {
        process.stop();
    }

    @Override
    public void close() {
        stop();
    }

    private static void format(Path dir, SecuredListeners secured) {
        List<String> args = new ArrayList<>(List.of("format", "--standalone", "--ignore-formatted",
                "-t", Uuid.randomUuid().toString(), "-c", dir.resolve("server.properties").toString()));
        if (secured != null) {
            secured.scramUsers().forEach((name, password) -> args.addAll(List.of("--add-scram",
                    "SCRAM-SHA-512=[name=" + name + ",password=" + password + "]")));
        }
        runFormatter(dir, args);
    }

    private static void runFormatter(Path dir, List<String> args) {
        ChildProcess formatter = javaChild("kafka-format", "kafka.tools.StorageTool", dir)
                .args(args.toArray(String[]::new))
                .start();
        int exit = formatter.awaitExit(START_TIMEOUT);
        if (exit != 0) {
            throw new IllegalStateException("kafka storage format failed with exit code " + exit + "; log "
                    + formatter.logFile() + ":\n" + formatter.logTail(30));
        }
    }

    private static ChildProcess.Builder javaChild(String name, String mainClass, Path dir) {
        return ChildProcess.java(name, mainClass)
                .classpath(ServerClasspath.forServer(ServerClasspath.KAFKA))
                .jvmArgs(JVM_ARGS)
                .systemProperty("log4j2.configurationFile", dir.resolve("log4j2.xml"))
                .systemProperty("kafka.logs.dir", dir)
                .workDir(dir)
                .logFile(dir.resolve(name + ".log"));
    }

    private static boolean describesCluster(String bootstrap, int port) {
        if (!FreePorts.isListening(port)) {
            return false;
        }
        try (Admin admin = Admin.create(KafkaTopics.adminConfig(bootstrap))) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    private static int securedPort(int wanted, Properties ports, String key) {
        return FreePorts.orPick(wanted != 0 ? wanted : Integer.parseInt(ports.getProperty(key, "0")));
    }

    private static Properties loadPorts(Path dir) throws IOException {
        Properties ports = new Properties();
        Path file = dir.resolve("ports.properties");
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                ports.load(in);
            }
        }
        return ports;
    }
}
