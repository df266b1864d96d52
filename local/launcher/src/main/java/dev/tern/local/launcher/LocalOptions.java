package dev.tern.local.launcher;

import dev.tern.local.runtime.process.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
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
        HaPorts ha,
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
                DEFAULT_INFINISPAN_PORT, 2525, 2587, 2465, http, 3, null, false);
    }

    /** Every port moved up by {@code offset}: a second local cluster beside the first. */
    public LocalOptions withPortOffset(int offset) {
        var http = new EnumMap<Service, Integer>(Service.class);
        httpPorts.forEach((s, p) -> http.put(s, p + offset));
        return new LocalOptions(repo, dataDir, policy, wipe, kafkaPort + offset, infinispanPort + offset,
                smtpPort + offset, submissionPort + offset, smtpsPort + offset, http, partitions,
                ha == null ? null : ha.offsetBy(offset), observe);
    }

    /** Free ports everywhere, for tests that run beside anything else on the machine. */
    public static LocalOptions forTest(Path repo, Path dataDir, Path policy) {
        var http = new EnumMap<Service, Integer>(Service.class);
        for (Service s : Service.values()) {
            http.put(s, FreePorts.pick());
        }
        return new LocalOptions(repo, dataDir, policy, false, FreePorts.pick(), FreePorts.pick(), FreePorts.pick(),
                FreePorts.pick(), FreePorts.pick(), http, 3, null, false);
    }

    public LocalOptions withDataDir(Path dir) {
        return new LocalOptions(repo, dir, policy, wipe, kafkaPort, infinispanPort, smtpPort, submissionPort,
                smtpsPort, httpPorts, partitions, ha, observe);
    }

    public LocalOptions withPolicy(Path file) {
        return new LocalOptions(repo, dataDir, file, wipe, kafkaPort, infinispanPort, smtpPort, submissionPort,
                smtpsPort, httpPorts, partitions, ha, observe);
    }

    public LocalOptions withWipe(boolean w) {
        return new LocalOptions(repo, dataDir, policy, w, kafkaPort, infinispanPort, smtpPort, submissionPort,
                smtpsPort, httpPorts, partitions, ha, observe);
    }

    /** Also run Prometheus, scraping every service with the alert rules loaded ({@code --observe}). */
    public LocalOptions withObserve(boolean o) {
        return new LocalOptions(repo, dataDir, policy, wipe, kafkaPort, infinispanPort, smtpPort, submissionPort,
                smtpsPort, httpPorts, partitions, ha, o);
    }

    /**
     * Runs the HA shape ({@code --ha}) on {@code ports}: three Kafka nodes, two Infinispan
     * servers, two of each service (docs/ARCHITECTURE.md, "Local HA cluster").
     */
    public LocalOptions withHa(HaPorts ports) {
        return new LocalOptions(repo, dataDir, policy, wipe, kafkaPort, infinispanPort, smtpPort, submissionPort,
                smtpsPort, httpPorts, partitions, ports, observe);
    }

    public boolean isHa() {
        return ha != null;
    }

    /**
     * The ports only the HA shape uses, beside the single-node ones (node 1 of Kafka and
     * Infinispan and the first instance of each service keep those). The second ingress listens
     * on {@link #SECOND_INGRESS_ADDRESS} with the same SMTP ports as the first, as a second pod
     * behind one Service would.
     *
     * @param kafkaPorts every Kafka node's PLAINTEXT port, node 1 first (3 of them)
     * @param infinispanPorts every Infinispan server's Hot Rod port, server 1 first (2 of them)
     * @param secondHttpPorts HTTP port of each service's second instance
     */
    public record HaPorts(List<Integer> kafkaPorts, List<Integer> infinispanPorts,
            Map<Service, Integer> secondHttpPorts) {

        /** Loopback address of the second ingress: every 127/8 address is local on Linux. */
        public static final String SECOND_INGRESS_ADDRESS = "127.0.0.2";

        public HaPorts {
            kafkaPorts = List.copyOf(kafkaPorts);
            infinispanPorts = List.copyOf(infinispanPorts);
            secondHttpPorts = Map.copyOf(secondHttpPorts);
        }

        /**
         * tern-local's defaults: Kafka 9092-9094, Infinispan 11222-11223, second instances' HTTP
         * on the first's port + 3 (8084-8086); so a second HA cluster needs {@code --port-offset} 10 or more.
         */
        public static HaPorts after(LocalOptions o) {
            var second = new EnumMap<Service, Integer>(Service.class);
            o.httpPorts().forEach((s, p) -> second.put(s, p + Service.values().length));
            return new HaPorts(List.of(o.kafkaPort(), o.kafkaPort() + 1, o.kafkaPort() + 2),
                    List.of(o.infinispanPort(), o.infinispanPort() + 1), second);
        }

        /** Free ports beside {@code o}'s (tests). */
        public static HaPorts free(LocalOptions o) {
            var second = new EnumMap<Service, Integer>(Service.class);
            for (Service s : Service.values()) {
                second.put(s, FreePorts.pick());
            }
            return new HaPorts(List.of(o.kafkaPort(), FreePorts.pick(), FreePorts.pick()),
                    List.of(o.infinispanPort(), FreePorts.pick()), second);
        }

        HaPorts offsetBy(int offset) {
            var second = new EnumMap<Service, Integer>(Service.class);
            secondHttpPorts.forEach((s, p) -> second.put(s, p + offset));
            return new HaPorts(kafkaPorts.stream().map(p -> p + offset).toList(),
                    infinispanPorts.stream().map(p -> p + offset).toList(), second);
        }

        public int secondHttpPort(Service s) {
            return secondHttpPorts.get(s);
        }
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
