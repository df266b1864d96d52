package dev.tern.local.launcher;

import dev.tern.common.kafka.TopicPlan;
import dev.tern.common.policy.Policy;
import dev.tern.common.policy.PolicyParser;
import dev.tern.local.runtime.EmbeddedCluster;
import dev.tern.local.runtime.HaProcessCluster;
import dev.tern.local.runtime.ProcessCluster;
import dev.tern.local.runtime.infinispan.InfinispanServer;
import dev.tern.local.runtime.kafka.KafkaBroker;
import dev.tern.local.runtime.kafka.SecuredListeners;
import dev.tern.local.runtime.kafka.TopicSpec;
import dev.tern.local.runtime.process.ChildProcess;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.runtime.process.ParentWatchdog;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The whole system on one machine: a real Kafka broker and Infinispan server as child processes,
 * Tern's topics, and the ingress, delivery and bounce services as child JVMs pointed at them.
 *
 * <p>Every child dies with this JVM, even on {@code kill -9} (see {@link ChildProcess}). Data
 * lives under {@link LocalOptions#dataDir()} and survives restarts, so mail queued before a stop
 * is delivered after the next start; {@code wipe} deletes it first. The admin API's token is
 * there too ({@link LocalAdminToken}). Used by {@link TernLocal} and
 * by the end-to-end tests, which also stop, kill and restart single services, and start
 * {@linkplain #startReplica replicas} of delivery to stand for a second pod.
 *
 * <p>With {@link LocalOptions#isHa()} the servers are a three-node Kafka quorum and an
 * Infinispan pair ({@link HaProcessCluster}), topics get replication factor 3, and every
 * service runs twice: the second instances ({@code <service>-2}) start once the first ones are
 * ready, so they find the generated TLS files and topics in place (docs/ARCHITECTURE.md,
 * "Local HA cluster").
 */
public final class LocalCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final LocalOptions options;
    private final Policy policy;
    private final EmbeddedCluster backends;
    private final LocalAdminToken adminToken;
    private final Map<Service, ChildProcess> services = new EnumMap<>(Service.class);
    private final Map<Service, Map<String, String>> extraConfig = new EnumMap<>(Service.class);
    private final Map<String, Replica> replicas = new LinkedHashMap<>();
    private LocalPrometheus prometheus;

    private LocalCluster(LocalOptions options, Policy policy, EmbeddedCluster backends, LocalAdminToken adminToken) {
        this.options = options;
        this.policy = policy;
        this.backends = backends;
        this.adminToken = adminToken;
    }

    /** Checks, starts everything, and returns once every service reports ready. */
    public static LocalCluster start(LocalOptions options) {
        return start(options, Map.of());
    }

    /** As {@link #start(LocalOptions)}, with extra system properties per service (tests). */
    public static LocalCluster start(LocalOptions options, Map<Service, Map<String, String>> extra) {
        return start(options, null, extra);
    }

    /**
     * As {@link #start(LocalOptions, Map)}, the broker also with {@code kafkaSecured}'s listeners
     * (tests of Kafka security): topics are still made over PLAINTEXT; which listener a service
     * uses, and how, is up to {@code extra} ({@code tern.kafka.bootstrap-servers}, {@code tern.kafka.properties.*}).
     */
    public static LocalCluster start(LocalOptions options, SecuredListeners kafkaSecured,
            Map<Service, Map<String, String>> extra) {
        if (options.wipe()) {
            wipe(options.dataDir());
        }
        Preflight.check(options);
        Policy policy = PolicyParser.parse(options.policy());
        LocalAdminToken adminToken = LocalAdminToken.prepare(options.dataDir(), System.getenv());
        if (options.isHa() && kafkaSecured != null) {
            throw new IllegalArgumentException("secured Kafka listeners are not supported in the HA shape");
        }
        EmbeddedCluster backends = options.isHa()
                ? HaProcessCluster.start(options.dataDir(), options.ha().kafkaPorts(), options.ha().infinispanPorts())
                : ProcessCluster.start(options.dataDir(), options.kafkaPort(), options.infinispanPort(), kafkaSecured);
        var cluster = new LocalCluster(options, policy, backends, adminToken);
        try {
            cluster.extraConfig.putAll(extra);
            backends.createTopics(topics(policy, options.partitions(), replicationFactor(options)));
            for (Service s : Service.values()) {
                cluster.startService(s);
            }
            for (Service s : Service.values()) {
                cluster.awaitReady(s);
            }
            if (options.isHa()) {
                List<Replica> seconds = new ArrayList<>();
                for (Service s : Service.values()) {
                    seconds.add(cluster.startSecondInstance(s));
                }
                seconds.forEach(cluster::awaitReady);
            }
            if (options.observe()) {
                cluster.prometheus = LocalPrometheus.start(options.repo(), options.dataDir(),
                        scrapeTargets(options, cluster.replicas.values()));
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Every instance's name (its {@code pod} label) to its HTTP port: the services, then the --ha second instances. */
    static Map<String, Integer> scrapeTargets(LocalOptions options, Collection<Replica> replicas) {
        var targets = new LinkedHashMap<String, Integer>();
        for (Service s : Service.values()) {
            targets.put(s.module(), options.httpPort(s));
        }
        replicas.forEach(r -> targets.put(r.name(), r.httpPort()));
        return targets;
    }

    static List<TopicSpec> topics(Policy policy, int partitions) {
        return topics(policy, partitions, (short) 1);
    }

    /** Tern's topics; with {@code replicationFactor} 3 also {@code min.insync.replicas=2} ({@link TopicPlan}). */
    public static List<TopicSpec> topics(Policy policy, int partitions, short replicationFactor) {
        var out = new ArrayList<TopicSpec>();
        int maxBytes = 50 * 1024 * 1024;
        for (TopicPlan t : TopicPlan.forLadder(policy.retry(), partitions, replicationFactor, maxBytes)) {
            out.add(new TopicSpec(t.name(), t.partitions(), t.replicationFactor(), t.configs()));
        }
        return out;
    }

    /** Starts (or restarts after {@link #kill}/{@link #stop}) one service; does not wait for it. */
    public synchronized void startService(Service s) {
        ChildProcess old = services.get(s);
        if (old != null && old.isAlive()) {
            throw new IllegalStateException(s + " is already running");
        }
        services.put(s, launch(s, s.module(), options.httpPort(s),
                new SmtpPorts(options.smtpPort(), options.submissionPort(), options.smtpsPort()), Map.of()));
    }

    /**
     * Starts one more instance of {@code s} beside the main one, as a second pod of the same
     * Deployment would run: same Kafka, Infinispan, policy and consumer group, its own HTTP port,
     * work directory ({@code <data>/<name>}) and log. Does not wait for it ({@link #awaitReady(Replica)}).
     * An ingress replica listens on SMTP ports of its own ({@link Replica#smtpPort()}), as a second
     * pod behind the same Service would.
     */
    public synchronized Replica startReplica(Service s, String name) {
        return startReplica(s, name, Map.of());
    }

    /** As {@link #startReplica(Service, String)}, with system properties of its own over the service's. */
    public synchronized Replica startReplica(Service s, String name, Map<String, String> overrides) {
        if (replicas.containsKey(name) || name.equals(s.module())) {
            throw new IllegalStateException("an instance named " + name + " already exists");
        }
        int port = FreePorts.pick();
        int smtp = s == Service.INGRESS ? FreePorts.pick() : 0;
        var ports = s == Service.INGRESS ? new SmtpPorts(smtp, FreePorts.pick(), FreePorts.pick())
                : new SmtpPorts(options.smtpPort(), options.submissionPort(), options.smtpsPort());
        var replica = new Replica(s, name, port, smtp, launch(s, name, port, ports, overrides));
        replicas.put(name, replica);
        return replica;
    }

    private record SmtpPorts(int smtp, int submission, int smtps) {
    }

    /**
     * The HA shape's second instance of {@code s}, {@code <module>-2}, on its HTTP port from
     * {@link LocalOptions.HaPorts}; a second ingress listens on
     * {@link LocalOptions.HaPorts#SECOND_INGRESS_ADDRESS} with the first one's SMTP ports.
     */
    private synchronized Replica startSecondInstance(Service s) {
        String name = s.module() + "-2";
        int port = options.ha().secondHttpPort(s);
        var smtp = new SmtpPorts(options.smtpPort(), options.submissionPort(), options.smtpsPort());
        Map<String, String> overrides = s == Service.INGRESS
                ? Map.of("tern.ingress.bind-address", LocalOptions.HaPorts.SECOND_INGRESS_ADDRESS) : Map.of();
        var replica = new Replica(s, name, port, s == Service.INGRESS ? smtp.smtp() : 0,
                launch(s, name, port, smtp, overrides));
        replicas.put(name, replica);
        return replica;
    }

    private static short replicationFactor(LocalOptions options) {
        return (short) (options.isHa() ? options.ha().kafkaPorts().size() : 1);
    }

    private ChildProcess launch(Service s, String name, int httpPort, SmtpPorts smtpPorts,
            Map<String, String> overrides) {
        Path dir = options.dataDir().resolve(name);
        var b = ChildProcess.java(name, "io.quarkus.bootstrap.runner.QuarkusEntryPoint")
                .classpath(List.of(watchdogLocation(), s.runJar(options.repo())))
                .workDir(dir)
                .logFile(dir.resolve(name + ".log"))
                .jvmArgs("-Xmx384m", "-XX:+UseSerialGC")
                .systemProperty("quarkus.http.port", httpPort)
                .systemProperty("quarkus.http.host", "127.0.0.1")
                .systemProperty("tern.kafka.bootstrap-servers", backends.kafkaBootstrapServers())
                .systemProperty("kafka.bootstrap.servers", backends.kafkaBootstrapServers())
                .systemProperty("tern.kafka.replication-factor", replicationFactor(options))
                .systemProperty("tern.kafka.partitions", options.partitions())
                .systemProperty("tern.infinispan.hosts", backends.infinispanHosts())
                .systemProperty("tern.policy", options.policy().toAbsolutePath())
                .systemProperty("tern.admin.tokens-file", adminToken.tokensFile());
        if (s == Service.INGRESS) {
            b.systemProperty("tern.ingress.bind-address", "127.0.0.1")
                    .systemProperty("tern.ingress.smtp-port", smtpPorts.smtp())
                    .systemProperty("tern.ingress.submission-port", smtpPorts.submission())
                    .systemProperty("tern.ingress.smtps-port", smtpPorts.smtps())
                    .systemProperty("tern.ingress.tls.generated-dir", options.dataDir().resolve("tls").toAbsolutePath());
        }
        extraConfig.getOrDefault(s, Map.of()).forEach(b::systemProperty);
        overrides.forEach(b::systemProperty);
        return b.start();
    }

    /** Waits until {@code /q/health/ready} of the service answers 200. */
    public void awaitReady(Service s) {
        awaitReady(s.module(), options.httpPort(s), () -> services.get(s));
    }

    /** Waits until {@code /q/health/ready} of the replica answers 200. */
    public void awaitReady(Replica r) {
        awaitReady(r.name(), r.httpPort(), r::process);
    }

    private void awaitReady(String name, int httpPort, Supplier<ChildProcess> process) {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            ChildProcess p = process.get();
            if (p == null || !p.isAlive()) {
                throw new LaunchException(name + " exited during start-up; last log lines:\n"
                        + (p == null ? "" : p.logTail(20)));
            }
            try {
                var resp = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (resp.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while waiting for " + name);
            }
            sleep(250);
        }
        throw new LaunchException(name + " was not ready within " + READY_TIMEOUT.toSeconds() + " s; see "
                + process.get().logFile());
    }

    /** SIGKILL, as a crashing pod would die: no drain, no offset commit, nothing flushed. */
    public synchronized void kill(Service s) {
        kill(services.get(s));
    }

    /** SIGKILL of a replica, as {@link #kill(Service)}. */
    public synchronized void kill(Replica r) {
        kill(r.process());
    }

    private static void kill(ChildProcess p) {
        if (p != null) {
            p.handle().destroyForcibly();
            p.awaitExit(Duration.ofSeconds(30));
        }
    }

    /** SIGTERM and wait: the graceful path a Kubernetes rollout takes. */
    public synchronized void stop(Service s) {
        ChildProcess p = services.get(s);
        if (p != null) {
            p.stop();
        }
    }

    public ChildProcess process(Service s) {
        return services.get(s);
    }

    /**
     * A further instance of a service started by {@link #startReplica}: a second pod in the same
     * consumer group. It is stopped with the cluster; {@link #kill(Replica)} kills it sooner.
     *
     * @param name its process name, work directory under the data directory, and log file name
     * @param httpPort where its {@code /q/health} and {@code /q/metrics} answer on 127.0.0.1
     * @param smtpPort  an ingress replica's MTA port on 127.0.0.1; 0 for other services
     */
    public record Replica(Service service, String name, int httpPort, int smtpPort, ChildProcess process) {
    }

    /** The single-node servers; tests that kill and restart them use this. */
    public ProcessCluster backends() {
        if (!(backends instanceof ProcessCluster single)) {
            throw new IllegalStateException("this cluster runs the HA shape; see haBackends()");
        }
        return single;
    }

    /** The HA shape's Kafka quorum and Infinispan pair. */
    public HaProcessCluster haBackends() {
        if (!(backends instanceof HaProcessCluster ha)) {
            throw new IllegalStateException("this cluster runs the single-node shape; see backends()");
        }
        return ha;
    }

    /** The Kafka and Infinispan servers, whichever shape. */
    public EmbeddedCluster servers() {
        return backends;
    }

    /** Every child process with what it listens on, servers first, for the banner. */
    public synchronized List<RunningProcess> processes() {
        List<RunningProcess> out = new ArrayList<>();
        if (backends instanceof HaProcessCluster ha) {
            for (KafkaBroker node : ha.kafka().nodes()) {
                out.add(new RunningProcess(node.process(), "kafka " + node.bootstrapServers()));
            }
            for (InfinispanServer member : ha.infinispan().members()) {
                out.add(new RunningProcess(member.process(), "hotrod " + member.hosts()));
            }
        } else if (backends instanceof ProcessCluster single) {
            out.add(new RunningProcess(single.kafka().process(), "kafka " + single.kafka().bootstrapServers()));
            out.add(new RunningProcess(single.infinispan().process(), "hotrod " + single.infinispan().hosts()));
        }
        for (var e : services.entrySet()) {
            out.add(new RunningProcess(e.getValue(), servicePorts(e.getKey(), FreePorts.LOOPBACK,
                    options.httpPort(e.getKey()))));
        }
        for (Replica r : replicas.values()) {
            String address = options.isHa() && r.name().equals("ingress-2")
                    ? LocalOptions.HaPorts.SECOND_INGRESS_ADDRESS : FreePorts.LOOPBACK;
            String ports = r.name().equals("ingress-2") && options.isHa()
                    ? servicePorts(r.service(), address, r.httpPort())
                    : (r.smtpPort() == 0 ? "" : "smtp " + address + ":" + r.smtpPort() + ", ")
                            + "http 127.0.0.1:" + r.httpPort();
            out.add(new RunningProcess(r.process(), ports));
        }
        return out;
    }

    private String servicePorts(Service s, String smtpAddress, int httpPort) {
        String http = "http 127.0.0.1:" + httpPort;
        if (s != Service.INGRESS) {
            return http;
        }
        return "smtp " + smtpAddress + ":" + options.smtpPort() + ", submission " + options.submissionPort()
                + ", smtps " + options.smtpsPort() + ", " + http;
    }

    /** A child process of the cluster as the banner lists it. */
    public record RunningProcess(ChildProcess process, String ports) {
    }

    /** The admin API's tokens file the services read, and the generated operator token if there is one. */
    public LocalAdminToken adminToken() {
        return adminToken;
    }

    public LocalOptions options() {
        return options;
    }

    public Policy policy() {
        return policy;
    }

    /** The Prometheus scraping the services when started with {@link LocalOptions#observe()}, else empty. */
    public java.util.Optional<LocalPrometheus> prometheus() {
        return java.util.Optional.ofNullable(prometheus);
    }

    /** Stops the services and replicas first (so ingress can drain into a live Kafka), then the servers. */
    @Override
    public synchronized void close() {
        if (prometheus != null) {
            prometheus.close();
        }
        List<ChildProcess> all = new ArrayList<>(services.values());
        replicas.values().forEach(r -> all.add(r.process()));
        ChildProcess.stopInParallel(all);
        backends.stop();
    }

    private static Path watchdogLocation() {
        try {
            return Path.of(ParentWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void wipe(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new LaunchException("cannot wipe " + dir + ": " + e.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
