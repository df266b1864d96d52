package dev.tern.local.launcher;

import dev.tern.local.runtime.process.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * What {@code tern-local} runs and where: the repository (to find the built services), the data
 * directory that keeps queued mail across restarts, the policy file, and every port. Tests use
 * {@link #forTest} with free ports; the launcher uses {@link #defaults} and the command line.
 * {@code observe} also runs Prometheus on the services ({@link LocalPrometheus}).
 */
public record LocalOptions(
        Path repo,
        Path dataDir,
        Path policy,
        boolean wipe,
        int kafkaPort,
        int infinispanPort,
        int smtpPort,
        int submissionPort,
        int smtpsPort,
        Map<Service, Integer> httpPorts,
        int partitions,
        boolean observe) {

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_INFINISPAN_PORT = 11222;

    public static LocalOptions defaults(Path repo) {
        var http = new EnumMap<Service, Integer>(Service.class);
        http.put(Service.INGRESS, 8081);
        http.put(Service.DELIVERY, 8082);
        http.put(Service.BOUNCE, 8083);
        String envPolicy = System.getenv("TERN_POLICY");
        Path policy = envPolicy != null && !envPolicy.isBlank() ? Path.of(envPolicy)
                : repo.resolve("local/policy.yaml");
        return new LocalOptions(repo, repo.resolve(".tern-local"), policy, false, DEFAULT_KAFKA_PORT,
                DEFAULT_INFINISPAN_PORT, 2525, 2587, 2465, http, 3, false);
    }

    /** Every port moved up by {@code offset}: a second local cluster beside the first. */
    public LocalOptions withPortOffset(int offset) {
        var http = new EnumMap<Service, Integer>(Service.class);
        httpPorts.forEach((s, p) -> http.put(s, p + offset));
        return new LocalOptions(repo, dataDir, policy, wipe, kafkaPort + offset, infinispanPort + offset,
                smtpPort + offset, submissionPort + offset, smtpsPort + offset, http, partitions, observe);
    }

    /** Free ports everywhere, for tests that run beside anything else on the machine. */
    public static LocalOptions forTest(Path repo, Path dataDir, Path policy) {
        var http = new EnumMap<Service, Integer>(Service.class);
        for (Service s : Service.values()) {
            http.put(s, FreePorts.pick());
        }
        return new LocalOptions(repo, dataDir, policy, false, FreePorts.pick(), FreePorts.pick(), FreePorts.pick(),
                FreePorts.pick(), FreePorts.pick(), http, 3, false);
    }

    public LocalOptions withDataDir(Path dir) {
        return new LocalOptions(repo, dir, policy, wipe, kafkaPort, infinispanPort, smtpPort, submissionPort,
                smtpsPort, httpPorts, partitions, observe);
    }

    public LocalOptions withPolicy(Path file) {
        return new LocalOptions(repo, dataDir, file, wipe, kafkaPort, infinispanPort, smtpPort, submissionPort,
                smtpsPort, httpPorts, partitions, observe);
    }

    public LocalOptions withWipe(boolean w) {
        return new LocalOptions(repo, dataDir, policy, w, kafkaPort, infinispanPort, smtpPort, submissionPort,
                smtpsPort, httpPorts, partitions, observe);
    }

    /** Also run Prometheus, scraping every service with the alert rules loaded ({@code --observe}). */
    public LocalOptions withObserve(boolean o) {
        return new LocalOptions(repo, dataDir, policy, wipe, kafkaPort, infinispanPort, smtpPort, submissionPort,
                smtpsPort, httpPorts, partitions, o);
    }

    public int httpPort(Service s) {
        return httpPorts.get(s);
    }

    /** Walks up from {@code start} to the directory holding Tern's parent pom. */
    public static Path findRepo(Path start) {
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("ingress"))
                    && Files.isDirectory(p.resolve("local"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the Tern repository above " + start.toAbsolutePath());
    }
}
