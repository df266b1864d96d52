package dev.tern.local.launcher;

import dev.tern.local.runtime.kafka.SecuredListeners;
import dev.tern.local.testkit.smtp.SmtpSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * One whole local cluster (real Kafka, Infinispan, ingress, delivery, bounce) on free ports,
 * with a real SMTP sink on loopback standing in for the Internet: every {@code *.test} domain
 * routes to it. End-to-end test classes start one in {@code @BeforeAll} and close it after.
 */
public final class ClusterFixture implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static final String USER = "alice";
    static final String PASSWORD = "s3cret-pass";
    // bcrypt (cost 6) of PASSWORD: cheap enough for tests.
    private static final String HASH = "$2y$06$bGNusBrChBL6FfildTjvq.SizMYVFqytpkkr0q5/aG7Iu91tMxXUq";

    public final SmtpSink sink;
    public final LocalCluster cluster;
    final Path dir;

    private ClusterFixture(SmtpSink sink, LocalCluster cluster, Path dir) {
        this.sink = sink;
        this.cluster = cluster;
        this.dir = dir;
    }

    static ClusterFixture start(String retry, Map<Service, Map<String, String>> extra) {
        return start(retry, Map.of(), extra);
    }

    /**
     * As {@link #start(String, Map)}, with policy entries for named destinations beside
     * {@code default}, e.g. {@code "shaped.test" → "{rate: 20/s, max-connections: 3}"}.
     */
    static ClusterFixture start(String retry, Map<String, String> destinations,
            Map<Service, Map<String, String>> extra) {
        return start(retry, destinations, null, extra);
    }

    /** As {@link #start(String, Map, Map)}, the broker also with {@code kafkaSecured}'s listeners unless null. */
    static ClusterFixture start(String retry, Map<String, String> destinations, SecuredListeners kafkaSecured,
            Map<Service, Map<String, String>> extra) {
        return start(retry, destinations, kafkaSecured, false, extra);
    }

    /** The HA shape ({@code --ha}) on free ports: three Kafka nodes, two Infinispan servers, two of each service. */
    static ClusterFixture startHa(String retry, Map<Service, Map<String, String>> extra) {
        return startHa(retry, Map.of(), extra);
    }

    /** As {@link #startHa(String, Map)}, with policy entries for named destinations as {@link #start(String, Map, Map)}. */
    public static ClusterFixture startHa(String retry, Map<String, String> destinations,
            Map<Service, Map<String, String>> extra) {
        return start(retry, destinations, null, true, extra);
    }

    /**
     * The single-node shape, as {@link #start(String, Map, Map)}, with {@code prepareDataDir} run on
     * the (not yet existing) data directory before anything starts, e.g. to mount a small
     * filesystem where Kafka will keep its log.
     */
    public static ClusterFixture startSingle(String retry, Map<String, String> destinations,
            java.util.function.Consumer<Path> prepareDataDir) {
        return start(retry, destinations, null, false, Map.of(), prepareDataDir);
    }

    private static ClusterFixture start(String retry, Map<String, String> destinations, SecuredListeners kafkaSecured,
            boolean ha, Map<Service, Map<String, String>> extra) {
        return start(retry, destinations, kafkaSecured, ha, extra, data -> { });
    }

    private static ClusterFixture start(String retry, Map<String, String> destinations, SecuredListeners kafkaSecured,
            boolean ha, Map<Service, Map<String, String>> extra, java.util.function.Consumer<Path> prepareDataDir) {
        StringBuilder shaped = new StringBuilder();
        destinations.forEach((name, limits) -> shaped.append("\n  ").append(name).append(": ").append(limits));
        return startWithPolicy(sinkPort -> """
                relay:
                  local-domains: [example.org]
                  trusted-networks: [127.0.0.0/8]
                  users-file: users.htpasswd
                routes:
                  - match: "*.test"
                    via: smtp://127.0.0.1:%d
                  - match: example.org
                    via: smtp://127.0.0.1:%d
                destinations:
                  default: {max-connections: 20, max-messages-per-connection: 100}%s
                retry: %s
                max-queue-lifetime: 1h
                """.formatted(sinkPort, sinkPort, shaped, retry), Map.of(), kafkaSecured, ha, extra, prepareDataDir);
    }

    /**
     * A cluster whose policy is {@code policy} applied to the sink's port, with {@code files}
     * (name → content) written beside it; {@code users.htpasswd} holds {@link #USER} unless
     * {@code files} replaces it.
     */
    static ClusterFixture startWithPolicy(java.util.function.IntFunction<String> policy, Map<String, String> files,
            Map<Service, Map<String, String>> extra) {
        return startWithPolicy(policy, files, null, false, extra, data -> { });
    }

    private static ClusterFixture startWithPolicy(java.util.function.IntFunction<String> policy,
            Map<String, String> files, SecuredListeners kafkaSecured, boolean ha,
            Map<Service, Map<String, String>> extra, java.util.function.Consumer<Path> prepareDataDir) {
        SmtpSink sink = SmtpSink.builder().hostname("sink.test").start();
        try {
            Path dir = Files.createTempDirectory("tern-e2e-");
            prepareDataDir.accept(dir.resolve("data"));
            Files.writeString(dir.resolve("users.htpasswd"), USER + ":" + HASH + "\n");
            for (var f : files.entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue());
            }
            Path file = Files.writeString(dir.resolve("policy.yaml"), policy.apply(sink.port()));
            var options = LocalOptions.forTest(LocalOptions.findRepo(Path.of("")), dir.resolve("data"), file);
            if (ha) {
                options = options.withHa(LocalOptions.HaPorts.free(options));
            }
            return new ClusterFixture(sink, LocalCluster.start(options, kafkaSecured, extra), dir);
        } catch (IOException e) {
            sink.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            sink.close();
            throw e;
        }
    }

    /** Sum of every series of {@code name} on the {@code /q/metrics} of the process at {@code httpPort}. */
    static double metric(int httpPort, String name) throws IOException, InterruptedException {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Set<String> prefixes = Set.of(name + "{", name + " ");
        return text.lines().filter(l -> prefixes.stream().anyMatch(l::startsWith))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    public int smtpPort() {
        return cluster.options().smtpPort();
    }

    int submissionPort() {
        return cluster.options().submissionPort();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } finally {
            sink.close();
            if (Boolean.getBoolean("tern.test.keep-logs")) {
                // -Dtern.test.keep-logs=true: the services' logs stay for a post-mortem.
                System.out.println("ClusterFixture: kept " + dir);
            } else {
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is untidy, not wrong.
        }
    }
}
