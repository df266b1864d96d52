package dev.tern.local.launcher;

import dev.tern.local.runtime.process.ChildProcess;
import dev.tern.local.runtime.process.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Debian's Prometheus ({@value #BINARY}) as a child of {@code tern-local --observe}: scrapes
 * {@code /q/metrics} of every Tern service with the labels the chart's ServiceMonitor gives them
 * in a cluster ({@code namespace}, {@code pod}), so the dashboards' queries and the alert rules
 * (the project's own {@code deploy/prometheus/tern-rules.yaml}, loaded as is) work unchanged.
 *
 * <p>Its configuration and TSDB live in {@code <data>/prometheus}; it listens on a free loopback
 * port and dies with the launcher ({@link ChildProcess#program}). Why: docs/ARCHITECTURE.md,
 * "Checking dashboards and alerts against Prometheus".
 */
public final class LocalPrometheus implements AutoCloseable {

    static final String BINARY = "/usr/bin/prometheus";
    /** The {@code namespace} label of every scraped series, what dashboards' {@code $namespace} selects. */
    public static final String NAMESPACE = "tern-local";
    /** Short, so a test sees its traffic within seconds; cheap at three targets. */
    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(2);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final ChildProcess process;
    private final int port;

    private LocalPrometheus(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The alert rules tern-local loads: the file the chart ships as its PrometheusRule. */
    static Path rules(Path repo) {
        return repo.resolve("deploy/prometheus/tern-rules.yaml");
    }

    /** Throws {@link LaunchException} naming what is missing for {@code --observe}. */
    static void check(Path repo) {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new LaunchException("--observe needs Prometheus, but " + BINARY
                    + " is missing (apt-get install prometheus, or scripts/install-test-tools.sh)");
        }
        if (!Files.isReadable(rules(repo))) {
            throw new LaunchException("--observe needs the alert rules " + rules(repo) + ", which are not readable");
        }
    }

    /** Writes the configuration, starts Prometheus scraping {@code targets} (pod name to HTTP port) and waits until it is ready. */
    static LocalPrometheus start(Path repo, Path dataDir, Map<String, Integer> targets) {
        check(repo);
        Path dir = dataDir.resolve("prometheus").toAbsolutePath();
        int port = FreePorts.pick();
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("prometheus.yml"), config(rules(repo).toAbsolutePath(), targets));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Prometheus configuration in " + dir, e);
        }
        ChildProcess child = ChildProcess.program("prometheus", Path.of(BINARY))
                .args("--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=" + FreePorts.LOOPBACK + ":" + port)
                .workDir(dir)
                .logFile(dir.resolve("prometheus.log"))
                .start();
        var prometheus = new LocalPrometheus(child, port);
        try {
            prometheus.awaitReady(targets.keySet());
            return prometheus;
        } catch (RuntimeException e) {
            child.stop();
            throw e;
        }
    }

    /**
     * One scrape job per service; {@code pod} and {@code namespace} as target labels, as the
     * ServiceMonitor's relabelling sets them in Kubernetes.
     */
    static String config(Path rules, Map<String, Integer> targets) {
        var out = new StringBuilder();
        out.append("# Written by tern-local --observe at every start; edits are lost.\n")
                .append("global:\n")
                .append("  scrape_interval: ").append(SCRAPE_INTERVAL.toSeconds()).append("s\n")
                .append("  evaluation_interval: ").append(SCRAPE_INTERVAL.toSeconds()).append("s\n")
                .append("rule_files:\n")
                .append("  - ").append(rules).append('\n')
                .append("scrape_configs:\n");
        targets.forEach((pod, httpPort) -> out
                .append("  - job_name: ").append(pod).append('\n')
                .append("    metrics_path: /q/metrics\n")
                .append("    static_configs:\n")
                .append("      - targets: ['").append(FreePorts.LOOPBACK).append(':').append(httpPort).append("']\n")
                .append("        labels:\n")
                .append("          namespace: ").append(NAMESPACE).append('\n')
                .append("          pod: ").append(pod).append('\n'));
        return out.toString();
    }

    /**
     * Waits until Prometheus answers and its target list holds every pod: {@code /-/ready} alone
     * comes before service discovery has handed the scrape manager its targets.
     */
    private void awaitReady(java.util.Set<String> pods) {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create(url() + "/api/v1/targets?state=active");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new LaunchException("Prometheus exited during start-up; last log lines:\n" + process.logTail(20));
            }
            try {
                var answer = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200
                        && pods.stream().allMatch(p -> answer.body().contains("\"pod\":\"" + p + "\""))) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while waiting for Prometheus");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while waiting for Prometheus");
            }
        }
        throw new LaunchException("Prometheus was not ready within " + READY_TIMEOUT.toSeconds() + " s; see "
                + process.logFile());
    }

    /** {@code http://127.0.0.1:<port>}: the web UI, and the HTTP API under {@code /api/v1}. */
    public String url() {
        return "http://" + FreePorts.LOOPBACK + ":" + port;
    }

    public ChildProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop();
    }
}
