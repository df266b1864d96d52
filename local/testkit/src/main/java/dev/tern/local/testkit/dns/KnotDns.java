package dev.tern.local.testkit.dns;

import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.tools.StdinTiedProcess;
import dev.tern.local.testkit.tools.DebianTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real authoritative DNS server for integration tests: Debian's Knot DNS ({@code knotd}, package
 * {@code knot}, installed when missing) on 127.0.0.1 at a free port, UDP and TCP, serving the
 * zones given to {@link Builder}. Each zone gets an SOA (negative TTL 5 s) and NS; its body is
 * ordinary zone-file text relative to the origin (TXT, A, AAAA, MX, PTR, CNAME, ...). A zone
 * added with {@link Builder#servfail} is configured but has no data, so knotd answers SERVFAIL for
 * every name in it: the fixture's way of producing a DNS server failure.
 *
 * <p>knotd runs under {@code sh}, which kills it when this JVM's end of its stdin pipe closes, so
 * the server dies with the test JVM even when that is killed with {@code kill -9}; {@link #close()}
 * stops it at once. Start once per test class and close in {@code @AfterAll}.
 */
public final class KnotDns implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final int port;
    private final StringBuffer log = new StringBuffer();

    private KnotDns(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}, the form {@code tern.dns.servers} takes. */
    public String server() {
        return FreePorts.LOOPBACK + ":" + port;
    }

    /** Describes the zones; {@link #start()} writes them and starts knotd. */
    public static final class Builder {
        private final Map<String, String> zones = new LinkedHashMap<>();
        private final List<String> failing = new ArrayList<>();

        /** A zone with these records, e.g. {@code zone("spf.test", "pass TXT \"v=spf1 +all\"")}. */
        public Builder zone(String origin, String records) {
            zones.put(absolute(origin), records);
            return this;
        }

        /** A zone whose every name answers SERVFAIL. */
        public Builder servfail(String origin) {
            failing.add(absolute(origin));
            return this;
        }

        public KnotDns start() {
            Path knotd = DebianTools.ensure("knotd", "knot");
            try {
                Path dir = Files.createTempDirectory("tern-knot-");
                int port = FreePorts.pick();
                var conf = new StringBuilder("server:\n    listen: 127.0.0.1@" + port + "\n    rundir: " + dir + "\n")
                        .append("log:\n  - target: stdout\n    any: info\n")
                        .append("database:\n    storage: " + dir + "\n")
                        .append("template:\n  - id: default\n    storage: " + dir + "\n    zonefile-sync: -1\n")
                        .append("    zonefile-load: whole\n    journal-content: none\n    semantic-checks: off\n")
                        .append("zone:\n");
                int n = 0;
                for (var zone : zones.entrySet()) {
                    Path file = Files.writeString(dir.resolve("zone" + n++ + ".zone"), zoneFile(zone.getKey(),
                            zone.getValue()));
                    conf.append("  - domain: ").append(zone.getKey()).append("\n    file: ").append(file).append('\n');
                }
                for (String origin : failing) {
                    conf.append("  - domain: ").append(origin).append("\n    file: ")
                            .append(dir.resolve("absent-" + n++ + ".zone")).append('\n');
                }
                Path confFile = Files.writeString(dir.resolve("knot.conf"), conf);
                Process p = new ProcessBuilder(StdinTiedProcess.command(knotd.toString(),
                        List.of("-c", confFile.toString()))).redirectErrorStream(true).start();
                var server = new KnotDns(p, dir, port);
                server.awaitLoaded(zones.keySet());
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String zoneFile(String origin, String records) {
            return "$ORIGIN " + origin + "\n$TTL 60\n@ SOA ns." + origin + " admin." + origin + " 1 60 60 60 5\n"
                    + "@ NS ns." + origin + "\nns A 127.0.0.1\n" + records + "\n";
        }

        private static String absolute(String name) {
            return name.endsWith(".") ? name : name + ".";
        }
    }

    /** Reads knotd's log until every zone with data is loaded and the server has started. */
    private void awaitLoaded(Set<String> origins) {
        var ready = new CountDownLatch(1);
        Set<String> waiting = new HashSet<>(origins);
        Thread reader = new Thread(() -> {
            boolean started = false;
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String read; (read = in.readLine()) != null; ) {
                    String line = read;
                    log.append(line).append('\n');
                    waiting.removeIf(origin -> line.contains("[" + origin + "] loaded"));
                    started |= line.contains("server started");
                    if (started && waiting.isEmpty()) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                log.append(e).append('\n');
            }
            ready.countDown();
        }, "knotd-log-" + port);
        reader.setDaemon(true);
        reader.start();
        try {
            if (!ready.await(60, TimeUnit.SECONDS) || !process.isAlive()) {
                close();
                throw new IllegalStateException("knotd did not start on port " + port + ":\n" + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting knotd", e);
        }
    }

    /** knotd's output so far, for failure messages. */
    public String log() {
        return log.toString();
    }

    @Override
    public void close() {
        StdinTiedProcess.stop(process);
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // A leftover temporary directory is harmless; the server is gone either way.
        }
    }
}
