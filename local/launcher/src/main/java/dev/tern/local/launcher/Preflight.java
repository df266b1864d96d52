package dev.tern.local.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks made before anything starts, so a failure is one line that names the problem instead of
 * a server's stack trace half-way through start-up: every port is free, the data directory is
 * writable, the policy file is readable, the services are built, and with {@code --observe}
 * Prometheus is installed.
 */
public final class Preflight {

    private Preflight() {
    }

    /** Throws {@link LaunchException} with a one-line message on the first problem found. */
    public static void check(LocalOptions o) {
        dataDir(o.dataDir());
        if (!Files.isReadable(o.policy())) {
            throw new LaunchException("policy file " + o.policy() + " is not readable (set TERN_POLICY or --policy)");
        }
        for (Service s : Service.values()) {
            if (!Files.isRegularFile(s.runJar(o.repo()))) {
                throw new LaunchException(s.module() + " is not built: " + s.runJar(o.repo())
                        + " is missing (run ./mvnw -q install -DskipTests)");
            }
        }
        if (o.observe()) {
            LocalPrometheus.check(o.repo());
        }
        var ports = new LinkedHashMap<String, Integer>();
        ports.put("SMTP", o.smtpPort());
        ports.put("submission", o.submissionPort());
        ports.put("SMTPS", o.smtpsPort());
        for (Service s : Service.values()) {
            ports.put(s.module() + " HTTP", o.httpPort(s));
        }
        ports.put("Kafka", o.kafkaPort());
        ports.put("Infinispan", o.infinispanPort());
        if (o.isHa()) {
            var ha = o.ha();
            for (int i = 1; i < ha.kafkaPorts().size(); i++) {
                ports.put("Kafka node " + (i + 1), ha.kafkaPorts().get(i));
            }
            for (int i = 1; i < ha.infinispanPorts().size(); i++) {
                ports.put("Infinispan server " + (i + 1), ha.infinispanPorts().get(i));
            }
            for (Service s : Service.values()) {
                ports.put(s.module() + "-2 HTTP", ha.secondHttpPort(s));
            }
        }
        ports(ports, InetAddress.getLoopbackAddress());
        if (o.isHa()) {
            var second = new LinkedHashMap<String, Integer>();
            second.put("ingress-2 SMTP", o.smtpPort());
            second.put("ingress-2 submission", o.submissionPort());
            second.put("ingress-2 SMTPS", o.smtpsPort());
            try {
                ports(second, InetAddress.getByName(LocalOptions.HaPorts.SECOND_INGRESS_ADDRESS));
            } catch (java.net.UnknownHostException e) {
                throw new LaunchException("cannot resolve " + LocalOptions.HaPorts.SECOND_INGRESS_ADDRESS);
            }
        }
    }

    static void dataDir(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-probe", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new LaunchException("data directory " + dir + " is not writable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    static void ports(Map<String, Integer> ports) {
        ports(ports, InetAddress.getLoopbackAddress());
    }

    static void ports(Map<String, Integer> ports, InetAddress address) {
        for (var e : ports.entrySet()) {
            int port = e.getValue();
            if (port == 0) {
                continue;
            }
            try (var socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(address, port));
            } catch (IOException ex) {
                throw new LaunchException(e.getKey() + " port " + port + " on " + address.getHostAddress()
                        + " is already in use");
            }
        }
    }
}
