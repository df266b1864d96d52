package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command as a user runs it: {@code ./tern-local}, a real process. Start-up
 * problems end it with one line that names the problem; a kill -9 of the launcher takes every
 * child (Kafka, Infinispan, the three services) with it; the admin token it makes is kept and reused.
 */
class TernLocalCommandIT {

    private static final Path REPO = LocalOptions.findRepo(Path.of(""));

    @TempDir
    Path tmp;

    /**
     * A port offset under which every port tern-local listens on is free right now: a random offset
     * alone could land on a port another build's cluster holds (they pick free ports in the same
     * range), and the launcher would rightly refuse to start.
     */
    private static int offset() {
        for (int i = 0; i < 200; i++) {
            int offset = ThreadLocalRandom.current().nextInt(200, 600) * 10;
            LocalOptions ports = LocalOptions.defaults(REPO).withPortOffset(offset);
            var all = new java.util.ArrayList<>(List.of(ports.kafkaPort(), ports.infinispanPort(), ports.smtpPort(),
                    ports.submissionPort(), ports.smtpsPort()));
            all.addAll(ports.httpPorts().values());
            if (all.stream().allMatch(TernLocalCommandIT::bindable)) {
                return offset;
            }
        }
        throw new IllegalStateException("no port offset with every tern-local port free");
    }

    private static boolean bindable(int port) {
        try (var socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Process launch(String... args) throws IOException {
        var command = new java.util.ArrayList<>(List.of(REPO.resolve("tern-local").toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(false).start();
    }

    @Test
    void portInUseFailsWithOneLineNamingThePort() throws Exception {
        int offset = offset();
        int smtp = 2525 + offset;
        try (var taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), smtp));
            Process p = launch("--port-offset", Integer.toString(offset), "--data-dir", tmp.resolve("data").toString());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(err).isEqualTo("tern-local: SMTP port " + smtp + " on 127.0.0.1 is already in use");
        }
    }

    @Test
    void unwritableDataDirectoryFailsWithOneLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        Process p = launch("--port-offset", Integer.toString(offset()), "--data-dir", file.resolve("data").toString());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).startsWith("tern-local: data directory " + file.resolve("data") + " is not writable")
                .doesNotContain("\n");
    }

    /**
     * kill -9 of the launcher (no shutdown hook runs), then waits for every child's exit, the event
     * the parent watchdog must cause, for at most 30 s.
     */
    private static void killLauncherAndAwaitChildren(Process p, List<ProcessHandle> children) throws Exception {
        p.toHandle().destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        try {
            java.util.concurrent.CompletableFuture.allOf(children.stream().map(ProcessHandle::onExit)
                    .toArray(java.util.concurrent.CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // Reported below, naming the survivors.
        }
        assertThat(children.stream().filter(ProcessHandle::isAlive).map(h -> h.pid() + " " + h.info().command().orElse("")))
                .as("children still alive 30 s after kill -9 of the launcher").isEmpty();
    }

    /**
     * {@code --observe}: the banner names a Prometheus that answers, scrapes all three services and
     * has the alert rules loaded; a kill -9 of the launcher takes every child with it, Kafka,
     * Infinispan, the three services and Prometheus.
     */
    @Test
    void killingTheObservedLauncherTakesEveryChildPrometheusIncludedWithIt() throws Exception {
        dev.tern.local.testkit.tools.DebianTools.ensure("prometheus", "prometheus");
        Process p = launch("--observe", "--port-offset", Integer.toString(offset()), "--data-dir",
                tmp.resolve("data").toString());
        try {
            String banner = banner(p);
            var url = java.util.regex.Pattern.compile("Prometheus  (http://127\\.0\\.0\\.1:\\d+)").matcher(banner);
            assertThat(url.find()).as(banner).isTrue();
            var http = java.net.http.HttpClient.newHttpClient();
            String targets = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url.group(1)
                    + "/api/v1/targets")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(targets).contains("\"pod\":\"ingress\"", "\"pod\":\"delivery\"", "\"pod\":\"bounce\"");
            String rules = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url.group(1)
                    + "/api/v1/rules")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(rules).contains("TernNoDeliveries", "TernCpuSaturated");
            List<ProcessHandle> children = p.toHandle().descendants().toList();
            assertThat(children).as("Kafka, Infinispan, three services and Prometheus").hasSizeGreaterThanOrEqualTo(6)
                    .anyMatch(h -> h.info().command().orElse("").endsWith("/prometheus"));

            killLauncherAndAwaitChildren(p, children);
        } finally {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /**
     * The first start makes an operator token in the data directory and says in the banner where it
     * is; the services take it; a second start on the same data directory reuses it.
     */
    @Test
    void generatesAnAdminTokenAtTheFirstStartAndReusesItOnTheNext() throws Exception {
        int offset = offset();
        Path data = tmp.resolve("data");
        Path tokenFile = data.resolve("admin").resolve("operator-token").toAbsolutePath();
        int delivery = LocalOptions.defaults(REPO).withPortOffset(offset).httpPort(Service.DELIVERY);
        String token = null;
        for (int start = 1; start <= 2; start++) {
            Process p = launch("--port-offset", Integer.toString(offset), "--data-dir", data.toString());
            try {
                String banner = banner(p);
                assertThat(banner).as("start %d banner", start).contains("admin       operator token in " + tokenFile)
                        .contains("curl -H \"Authorization: Bearer $(cat " + tokenFile + ")\" http://127.0.0.1:"
                                + delivery + "/admin/queues");
                String now = Files.readString(tokenFile).strip();
                if (token == null) {
                    token = now;
                }
                assertThat(now).as("start %d token", start).isEqualTo(token);
                assertThat(banner).doesNotContain(token);
                var http = java.net.http.HttpClient.newHttpClient();
                var uri = java.net.URI.create("http://127.0.0.1:" + delivery + "/admin/queues");
                assertThat(http.send(java.net.http.HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                        .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
                assertThat(http.send(java.net.http.HttpRequest.newBuilder(uri).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
                p.destroy(); // SIGTERM: the launcher stops everything, then exits
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("launcher stopped").isTrue();
            } finally {
                p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    /** The banner's lines, read from the launcher's output up to its last one. */
    private static String banner(Process p) throws IOException {
        var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        var banner = new StringBuilder();
        boolean ready = false;
        String line;
        while ((line = out.readLine()) != null) {
            ready |= line.startsWith("tern-local: ready");
            if (ready) {
                banner.append(line).append('\n');
                if (line.startsWith("Ctrl-C stops everything")) {
                    return banner.toString();
                }
            }
        }
        throw new AssertionError("launcher ended before its banner; stderr: " + stderr(p) + "\n" + banner);
    }

    private static String stderr(Process p) {
        try {
            return p.getErrorStream().available() > 0 ? new String(p.getErrorStream().readNBytes(p.getErrorStream().available())) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
