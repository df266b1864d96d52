package dev.tern.local.launcher.bench;

import dev.tern.local.launcher.LocalCluster;
import dev.tern.local.launcher.LocalCluster.Replica;
import dev.tern.local.launcher.LocalOptions;
import dev.tern.local.launcher.Service;
import dev.tern.local.launcher.bench.ShapingBenchmark.Limit;
import dev.tern.local.launcher.bench.ShapingBenchmark.Settings;
import dev.tern.local.testkit.smtp.SinkBehaviour;
import dev.tern.local.testkit.smtp.SinkRequest;
import dev.tern.local.testkit.smtp.SmtpSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One measurement at one limit, on a fresh local cluster (no rate, lease or backoff state carries
 * over from the previous limit). The backlog is in place before the measured delivery starts, so
 * the feeder is out of the measured path; two ways to get there:
 * <ul>
 *   <li><b>warm</b> (default): both delivery processes run from the start and first deliver a
 *       warm-up batch at the limit under test (JIT, connection pools, consumer group settled).
 *       Then the sink holds its reply to every MAIL, as a remote server that stalls would, while
 *       the backlog is fed through ingress: each process takes up to {@code max-in-flight}
 *       records and pauses its partitions, the rest waits in Kafka. Releasing the sink starts
 *       both processes on the backlog at the same instant, with the policy untouched. (Holding
 *       by a live policy reload to a low rate does not work: records already waiting keep the
 *       rate they were routed with, and they fill the in-flight window.)</li>
 *   <li><b>cold</b>: delivery is stopped while the backlog is fed, then the cluster's delivery
 *       process and a replica start together into it, as two pods scaled up behind a queue would:
 *       JIT warm-up and the consumer group's first rebalance fall inside the run.</li>
 * </ul>
 * Until the sink has every message, each delivery process's metrics, the sink's count and the
 * CPU counters are sampled every {@value #SAMPLE_MILLIS} ms; {@link ShapingResult#of} turns them
 * into figures.
 *
 * <p>Everything it starts is closed before it returns or throws: the cluster's child processes
 * ({@link LocalCluster#close()}, which also stops the replica) and the sink. The data directory
 * is deleted too, unless the run failed: then it stays for the services' logs.
 */
final class ShapingRun {

    static final String DOMAIN = "shaped.test";
    private static final long SAMPLE_MILLIS = 200;
    /** Longest the sink holds a MAIL while the backlog is fed. */
    private static final Duration HOLD_LIMIT = Duration.ofMinutes(3);
    /** No new message at the sink for this long: report what arrived instead of waiting forever. */
    private static final Duration STALL = Duration.ofSeconds(60);

    /** What was seen at one instant: sink count, both delivery processes' metrics, CPU counters. */
    record Sample(Instant at, int atSink, PodMetrics first, PodMetrics second, CpuSnapshot cpu) {
    }

    private final Settings settings;
    private final Limit limit;

    ShapingRun(Settings settings, Limit limit) {
        this.settings = settings;
        this.limit = limit;
    }

    ShapingResult run() throws Exception {
        int messages = settings.messagesFor(limit);
        Path dir = Files.createTempDirectory("tern-shaping-bench-");
        Path policy = dir.resolve("policy.yaml");
        boolean done = false;
        try (SmtpSink sink = SmtpSink.builder().hostname("sink.test").start()) {
            writePolicy(policy, sink.port());
            LocalOptions options = withPartitions(LocalOptions.forTest(settings.repo(), dir.resolve("data"), policy));
            log("%s: starting the local cluster (%d partitions, %s start)", limit, options.partitions(),
                    settings.warm() ? "warm" : "cold");
            try (LocalCluster cluster = LocalCluster.start(options, Map.of(Service.DELIVERY, Map.of(
                    // The held backlog waits in memory for a connection longer than the 30 s default allows.
                    "tern.delivery.max-throttle-wait", "10m")))) {
                Replica second;
                PipelinedFeeder.Result feed;
                if (settings.warm()) {
                    second = startSecond(cluster);
                    warmUp(options.smtpPort(), sink);
                    CountDownLatch release = new CountDownLatch(1);
                    sink.behaviour(holdAtMail(release));
                    feed = feed(options.smtpPort(), messages);
                    sink.behaviour(null);
                    release.countDown();
                    log("%s: released the backlog", limit);
                } else {
                    // SIGTERM before any mail exists: the backlog builds up with nobody consuming it.
                    cluster.stop(Service.DELIVERY);
                    feed = feed(options.smtpPort(), messages);
                    cluster.startService(Service.DELIVERY);
                    second = startSecond(cluster);
                    cluster.awaitReady(Service.DELIVERY);
                }
                Instant released = Instant.now();
                List<Sample> samples = sampleUntilDelivered(sink, messages, options.httpPort(Service.DELIVERY),
                        second.httpPort(), processes(cluster, second));
                writeTimeline(released, samples);
                done = true;
                return ShapingResult.of(limit, messages, feed, released, samples, sink.messages(),
                        sink.maxConcurrentConnections(), settings.settle());
            }
        } finally {
            if (done) {
                deleteTree(dir);
            } else {
                log("%s: failed; the services' logs are kept in %s", limit, dir.resolve("data"));
            }
        }
    }

    private static Replica startSecond(LocalCluster cluster) {
        Replica second = cluster.startReplica(Service.DELIVERY, "delivery-2");
        cluster.awaitReady(second);
        return second;
    }

    /** Delivers a batch at the limit under test and waits for all of it; then forgets it at the sink. */
    private void warmUp(int smtpPort, SmtpSink sink) throws Exception {
        int count = settings.warmUpMessages();
        log("%s: warm-up: %d messages through both delivery processes", limit, count);
        PipelinedFeeder.feed(smtpPort, settings.sessions(), count, settings.sizeBytes(), DOMAIN);
        sink.awaitMessages(count, Duration.ofMinutes(10));
        sink.reset();
    }

    private PipelinedFeeder.Result feed(int smtpPort, int messages) throws Exception {
        log("%s: feeding %d messages of %d bytes over %d pipelined sessions", limit, messages, settings.sizeBytes(),
                settings.sessions());
        PipelinedFeeder.Result feed = PipelinedFeeder.feed(smtpPort, settings.sessions(), messages,
                settings.sizeBytes(), DOMAIN);
        log("%s: ingress accepted %d in %.1f s (%.0f msg/s)", limit, feed.accepted(),
                feed.took().toMillis() / 1000.0, feed.rate());
        return feed;
    }

    /**
     * Holds each MAIL until {@code release} (at most {@link #HOLD_LIMIT}, well inside delivery's
     * 5-minute command timeout); the sink reads pipelined commands in order, so the whole
     * transaction waits. Runs on the sink's connection threads.
     */
    private static SinkBehaviour holdAtMail(CountDownLatch release) {
        return r -> {
            if (r.stage() == SinkRequest.Stage.MAIL) {
                try {
                    release.await(HOLD_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        };
    }

    private List<Sample> sampleUntilDelivered(SmtpSink sink, int messages, int firstPort, int secondPort,
            Map<String, ProcessHandle> processes) throws Exception {
        List<Sample> samples = new ArrayList<>();
        Instant lastProgress = Instant.now();
        int lastCount = -1;
        long lastLog = 0;
        while (true) {
            Sample s = sample(sink, firstPort, secondPort, processes);
            samples.add(s);
            if (s.atSink() != lastCount) {
                lastCount = s.atSink();
                lastProgress = s.at();
            }
            if (System.nanoTime() - lastLog > 1_000_000_000L) {
                lastLog = System.nanoTime();
                log("%s: at sink %d/%d; delivered by delivery %.0f, by delivery-2 %.0f; Hot Rod requests %.0f",
                        limit, s.atSink(), messages, s.first().delivered(), s.second().delivered(),
                        s.first().shapingCalls() + s.second().shapingCalls());
            }
            if (s.atSink() >= messages) {
                break;
            }
            if (Duration.between(lastProgress, s.at()).compareTo(STALL) > 0) {
                log("%s: nothing new at the sink for %d s; reporting what arrived", limit, STALL.toSeconds());
                break;
            }
            Thread.sleep(SAMPLE_MILLIS);
        }
        // Counters move just after the sink's 250 reaches the client: one more look once they settle.
        Thread.sleep(1000);
        samples.add(sample(sink, firstPort, secondPort, processes));
        return samples;
    }

    private static Sample sample(SmtpSink sink, int firstPort, int secondPort, Map<String, ProcessHandle> processes)
            throws Exception {
        return new Sample(Instant.now(), sink.messages().size(), PodMetrics.scrape(firstPort),
                PodMetrics.scrape(secondPort), CpuSnapshot.take(processes));
    }

    /**
     * One CSV line per sample under {@code tern.bench.timeline-dir}, if set, for reading a run
     * second by second: seconds since the release, messages at the sink, delivered by each
     * process, Hot Rod requests, open connections, leases held and processes in Infinispan
     * fallback (both processes summed), machine CPU busy since the previous sample.
     */
    private void writeTimeline(Instant released, List<Sample> samples) throws IOException {
        String dir = System.getProperty("tern.bench.timeline-dir");
        if (dir == null || dir.isBlank()) {
            return;
        }
        StringBuilder csv = new StringBuilder(
                "seconds,at_sink,delivery,delivery_2,hot_rod_requests,connections,leases,fallback,machine_busy\n");
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            csv.append("%.2f,%d,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.2f%n".formatted(
                    Duration.between(released, s.at()).toMillis() / 1000.0, s.atSink(), s.first().delivered(),
                    s.second().delivered(), s.first().shapingCalls() + s.second().shapingCalls(),
                    s.first().connections() + s.second().connections(),
                    s.first().leasesHeld() + s.second().leasesHeld(), s.first().fallback() + s.second().fallback(),
                    i == 0 ? 0 : s.cpu().machineBusySince(samples.get(i - 1).cpu())));
        }
        Path file = Path.of(dir).resolve("shaping-" + (limit.unlimited() ? "unlimited" : limit.perSecond())
                + (settings.warm() ? "-warm-" : "-cold-") + Instant.now().getEpochSecond() + ".csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
        log("%s: timeline in %s", limit, file);
    }

    /** The processes whose CPU the result reports; "bench" is this JVM, which runs the sink. */
    private static Map<String, ProcessHandle> processes(LocalCluster cluster, Replica second) {
        var p = new LinkedHashMap<String, ProcessHandle>();
        p.put("delivery", cluster.process(Service.DELIVERY).handle());
        p.put("delivery-2", second.process().handle());
        p.put("kafka", cluster.backends().kafka().process().handle());
        p.put("infinispan", cluster.backends().infinispan().process().handle());
        p.put("ingress", cluster.process(Service.INGRESS).handle());
        p.put("bounce", cluster.process(Service.BOUNCE).handle());
        p.put("bench", ProcessHandle.current());
        return p;
    }

    /** Every {@code *.test} domain to the sink; {@link #DOMAIN} with the limit under test. */
    private void writePolicy(Path policy, int sinkPort) throws IOException {
        Files.writeString(policy, """
                relay:
                  local-domains: []
                  trusted-networks: [127.0.0.0/8]
                routes:
                  - match: "*.test"
                    via: smtp://127.0.0.1:%d
                destinations:
                  default: {max-connections: 20, max-messages-per-connection: 100}
                  %s: {rate: %d/s, max-connections: %d, max-messages-per-connection: %d}
                retry: [10s, 1m]
                max-queue-lifetime: 1h
                """.formatted(sinkPort, DOMAIN, limit.perSecond(), settings.connections(),
                settings.messagesPerConnection()));
    }

    private LocalOptions withPartitions(LocalOptions o) {
        return new LocalOptions(o.repo(), o.dataDir(), o.policy(), o.wipe(), o.kafkaPort(), o.infinispanPort(),
                o.smtpPort(), o.submissionPort(), o.smtpsPort(), o.httpPorts(), settings.partitions(), o.ha(), o.observe());
    }

    static void log(String format, Object... args) {
        System.err.printf("[shaping-bench %tT] %s%n", Instant.now().toEpochMilli(), format.formatted(args));
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is untidy, not wrong.
        }
    }
}
