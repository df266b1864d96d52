package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import dev.tern.local.testkit.RawSmtpClient;
import dev.tern.local.testkit.milter.OpenDkimMilter;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.smtp.PostfixRelay;
import dev.tern.local.testkit.smtp.SinkReply;
import dev.tern.local.testkit.smtp.SinkRequest;
import dev.tern.local.testkit.smtp.SmtpSink;
import dev.tern.local.testkit.tools.DebianTools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every PromQL expression of every Grafana dashboard (deploy/grafana) and every alert rule
 * (deploy/prometheus/tern-rules.yaml) evaluated by a real Prometheus ({@code tern-local --observe})
 * that scrapes a whole local cluster after a little load: each must parse, and each dashboard
 * query must return data. docs/ARCHITECTURE.md, "Checking dashboards and alerts
 * against Prometheus".
 *
 * <p>The load makes the events behind the failure panels happen: a 451 and its retry, a 550 with
 * its DSN and suppression and a later send to the suppressed address, a relay refusal, a good and
 * a bad AUTH, a MAIL FROM the user does not own, a per-IP connection refusal, a burst to a
 * rate-limited destination, DKIM checks (dkim=none) on the unsigned inbound mail, and a smarthost
 * (a real Postfix with Cyrus SASL) that refuses Tern's password. It also runs what the optional
 * features' panels count: inbound mail through a real milter (OpenDKIM), ingress's SMTP proxy
 * listener relaying to an upstream that refuses one session's greeting, a webhook endpoint that
 * receives the delivery events, and trace lookups. Each of these happens twice, a scrape or more
 * apart, so that {@code rate()} over a counter's first appearance has an increase to show.
 */
class DashboardQueriesIT {

    private static final Path REPO = LocalOptions.findRepo(Path.of(""));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final String USER = "alice";
    private static final String PASSWORD = "s3cret-pass";
    // bcrypt (cost 6) of PASSWORD; the third field lets alice send only as herself.
    private static final String USERS = USER + ":$2y$06$bGNusBrChBL6FfildTjvq.SizMYVFqytpkkr0q5/aG7Iu91tMxXUq"
            + ":alice@example.org\n";

    private static SmtpSink sink;
    /** The proxy listener's upstream; refuses the greeting while {@link #refuseUpstream} is set. */
    private static SmtpSink upstream;
    private static volatile boolean refuseUpstream;
    private static int proxyPort;
    private static OpenDkimMilter milter;
    private static HttpServer webhookReceiver;
    private static final AtomicInteger webhookPosts = new AtomicInteger();
    private static PostfixRelay smarthost;
    private static LocalCluster cluster;
    private static Path dir;
    private static String prometheus;

    @BeforeAll
    static void startAndLoad() throws Exception {
        DebianTools.ensure("prometheus", "prometheus");
        sink = SmtpSink.builder().hostname("sink.test").behaviour(DashboardQueriesIT::remote).start();
        dir = Files.createTempDirectory("tern-observe-");
        upstream = SmtpSink.builder().hostname("upstream.test").behaviour(r -> r.stage() == SinkRequest.Stage.CONNECT
                && refuseUpstream ? SinkReply.of(421, "4.3.2 upstream busy") : null).start();
        proxyPort = FreePorts.pick();
        milter = OpenDkimMilter.start(dir.resolve("opendkim"));
        webhookReceiver = HttpServer.create(new InetSocketAddress(FreePorts.LOOPBACK, 0), 0);
        webhookReceiver.createContext("/events", exchange -> {
            exchange.getRequestBody().readAllBytes();
            webhookPosts.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhookReceiver.start();
        Files.writeString(dir.resolve("webhook-secret"), "dashboards-secret\n");
        Files.writeString(dir.resolve("users.htpasswd"), USERS);
        // An ISP-style smarthost that refuses the password Tern has for it: the AUTH failures panel.
        smarthost = PostfixRelay.start(FreePorts.pick(), "tern", "relay.test", "the right password", sink.port());
        Files.writeString(dir.resolve("smarthost-password"), "not the password\n");
        // No trusted networks: mail from 127.0.0.1 to other domains needs AUTH (a relay refusal to count).
        // DKIM checks on inbound mail count dkim=none for the unsigned load, with no DNS lookup.
        Path policy = Files.writeString(dir.resolve("policy.yaml"), """
                relay:
                  local-domains: [example.org]
                  users-file: users.htpasswd
                routes:
                  - match: badauth.test
                    via: smtp://tern%%40relay.test@127.0.0.1:%d
                    auth-secret: smarthost-password
                  - match: "*.test"
                    via: smtp://127.0.0.1:%d
                  - match: example.org
                    via: smtp://127.0.0.1:%d
                destinations:
                  default: {max-connections: 20, max-messages-per-connection: 100}
                  throttled.test: {rate: 1/s}
                retry: [2s, 4s]
                max-queue-lifetime: 1h
                checks:
                  dkim: {}
                milters:
                  - name: opendkim
                    address: inet:127.0.0.1:%d
                    on-error: accept
                webhooks:
                  - name: dashboards
                    url: http://127.0.0.1:%d/events
                    secret-file: webhook-secret
                    max-wait: 200ms
                """.formatted(smarthost.port(), sink.port(), sink.port(), milter.port(),
                webhookReceiver.getAddress().getPort()));
        var options = LocalOptions.forTest(REPO, dir.resolve("data"), policy).withObserve(true);
        cluster = LocalCluster.start(options, Map.of(
                Service.INGRESS, Map.of("tern.ingress.limits.max-connections-per-ip", "3",
                        "tern.ingress.proxy.listen", Integer.toString(proxyPort),
                        "tern.ingress.proxy.upstream", "smtp://127.0.0.1:" + upstream.port(),
                        "tern.ingress.proxy.upstream-tls", "none"),
                Service.DELIVERY, Map.of("tern.delivery.backlog-refresh", "1s")));
        prometheus = cluster.prometheus().orElseThrow().url();
        load();
    }

    @AfterAll
    static void stop() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (sink != null) {
                sink.close();
            }
            if (smarthost != null) {
                smarthost.close();
            }
            if (upstream != null) {
                upstream.close();
            }
            if (milter != null) {
                milter.close();
            }
            if (webhookReceiver != null) {
                webhookReceiver.stop(0);
            }
            deleteTree(dir);
        }
    }

    /** The remote servers: a 451 once for later-*, a 550 for gone-*, 250 for everything else. */
    private static SinkReply remote(SinkRequest r) {
        if (r.stage() != SinkRequest.Stage.RCPT) {
            return null;
        }
        if (r.recipient().startsWith("later-") && r.attempt() == 1) {
            return SinkReply.of(451, "4.3.0 try later");
        }
        return r.recipient().startsWith("gone-") ? SinkReply.of(550, "5.1.1 no such user") : null;
    }

    private static void load() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int expectedAtSink = 0;
        optionalFeatures(run + "-first");
        try (var mta = mta()) {
            for (int i = 0; i < 5; i++) {
                send(mta, "sender@example.org", "rcpt" + i + "@example.org");
            }
            send(mta, "sender@example.org", "later-" + run + "@example.org");
            send(mta, "writer@example.org", "gone-" + run + "@example.org");
            assertThat(mta.command("MAIL FROM:<sender@example.org>")).startsWith("250");
            assertThat(mta.command("RCPT TO:<someone@elsewhere.test>")).as("relay refused").startsWith("5");
            mta.command("RSET");
        }
        expectedAtSink += 5 + 1 + 1; // the DSN to writer@example.org

        try (var submission = submission()) {
            assertThat(submission.command("AUTH PLAIN " + plain(USER, PASSWORD))).startsWith("235");
            assertThat(submission.command("MAIL FROM:<bob@example.org>")).as("not alice's address").startsWith("553");
            submission.command("RSET");
            send(submission, "alice@example.org", "carol@remote.test");
            send(submission, "alice@example.org", "dave@badauth.test");
            for (int i = 0; i < 5; i++) {
                send(submission, "alice@example.org", "burst" + i + "@throttled.test");
            }
        }
        expectedAtSink += 6;
        try (var submission = submission()) {
            assertThat(submission.command("AUTH PLAIN " + plain(USER, "wrong"))).startsWith("535");
        }

        refusedPerIp();

        sink.awaitMessages(expectedAtSink, WAIT);
        // The bounce service suppressed gone-*; delivery must now refuse it without connecting.
        awaitSeries("tern_bounce_suppressed_total > 0");
        try (var mta = mta()) {
            send(mta, "sender@example.org", "gone-" + run + "@example.org");
        }
        awaitSeries("tern_delivery_refused_total{reason=\"suppressed\"}");
        awaitSeries("tern_delivery_smarthost_auth_failures_total");
        awaitSeries("sum(tern_delivery_attempts_total{outcome=\"delivered\"}) >= " + expectedAtSink);
        awaitTwoMoreScrapes();
        optionalFeatures(run + "-second");
        awaitSeries("sum(tern_ingress_proxy_messages_total{outcome=\"relayed\"}) >= 2");
        awaitSeries("sum(tern_bounce_trace_lookup_seconds_count) >= 2");
        awaitSeries("sum(tern_bounce_webhook_events_total) > 0");
        awaitTwoMoreScrapes();
        assertThat(webhookPosts.get()).as("the receiver was posted to").isPositive();
    }

    /**
     * One round of the optional features' events: a proxy session the upstream refuses (451 to
     * the client) and one it relays, and a trace lookup. Milter and webhook events come with the
     * rest of the load.
     */
    private static void optionalFeatures(String marker) throws Exception {
        refuseUpstream = true;
        try (var c = client(proxyPort)) {
            assertThat(c.reply()).startsWith("220");
            assertThat(c.command("EHLO client.test")).as("upstream refused its greeting").startsWith("451 4.4.1");
        } finally {
            refuseUpstream = false;
        }
        try (var c = client(proxyPort)) {
            assertThat(c.reply()).startsWith("220");
            assertThat(c.command("EHLO client.test")).startsWith("250");
            send(c, "sender@client.test", "proxied-" + marker + "@upstream.test");
        }
        var uri = URI.create("http://127.0.0.1:" + cluster.options().httpPort(Service.BOUNCE)
                + "/admin/trace?recipient=" + URLEncoder.encode("rcpt0@example.org", StandardCharsets.UTF_8));
        HttpResponse<String> trace = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + cluster.adminToken().token().orElseThrow()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(trace.statusCode()).as(trace.body()).isIn(200, 404);
    }

    /** Four sessions from one address with a per-IP limit of 3: the fourth gets 421. */
    private static void refusedPerIp() {
        List<RawSmtpClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                var c = client(cluster.options().smtpPort());
                held.add(c);
                assertThat(c.reply()).startsWith("220");
            }
            try (var fourth = client(cluster.options().smtpPort())) {
                assertThat(fourth.reply()).startsWith("421");
            }
        } finally {
            held.forEach(RawSmtpClient::close);
        }
    }

    /** A raw client with a read timeout a busy two-core machine allows for a first TLS handshake. */
    private static RawSmtpClient client(int port) {
        return new RawSmtpClient("127.0.0.1", port, 30_000);
    }

    private static RawSmtpClient mta() {
        var c = client(cluster.options().smtpPort());
        assertThat(c.reply()).startsWith("220");
        assertThat(c.command("EHLO client.test")).startsWith("250");
        return c;
    }

    private static RawSmtpClient submission() {
        var c = client(cluster.options().submissionPort());
        assertThat(c.reply()).startsWith("220");
        assertThat(c.command("EHLO client.test")).startsWith("250");
        assertThat(c.startTls()).startsWith("220");
        assertThat(c.command("EHLO client.test")).startsWith("250");
        return c;
    }

    private static void send(RawSmtpClient c, String from, String to) {
        assertThat(c.command("MAIL FROM:<" + from + ">")).startsWith("250");
        assertThat(c.command("RCPT TO:<" + to + ">")).startsWith("250");
        assertThat(c.command("DATA")).startsWith("354");
        assertThat(c.command("From: " + from + "\r\nTo: " + to + "\r\nSubject: dashboards\r\n\r\nload\r\n."))
                .as("queued for " + to).startsWith("250");
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyDashboardQueryParsesAndReturnsData() throws Exception {
        List<String> empty = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (Path dashboard : dashboards()) {
            JsonNode d = JSON.readTree(dashboard.toFile());
            for (JsonNode panel : d.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = grafanaToPromQl(target.path("expr").asText());
                    String where = dashboard.getFileName() + " panel " + panel.path("id").asInt() + " \""
                            + panel.path("title").asText() + "\": " + expr;
                    checked.add(where);
                    if (!hasData(query(expr, where))) {
                        empty.add(where);
                    }
                }
            }
            for (JsonNode variable : d.path("templating").path("list")) {
                String definition = variable.path("definition").asText();
                if (definition.startsWith("label_values(")) {
                    String metric = definition.substring("label_values(".length(), definition.indexOf(','));
                    String label = definition.substring(definition.indexOf(',') + 1, definition.lastIndexOf(')')).strip();
                    assertThat(query("count by (" + label + ") (" + metric + ")", definition))
                            .as("variable %s of %s offers %s", variable.path("name").asText(), dashboard.getFileName(),
                                    LocalPrometheus.NAMESPACE)
                            .anySatisfy(s -> assertThat(s.path("metric").path(label).asText())
                                    .isEqualTo(LocalPrometheus.NAMESPACE));
                }
            }
        }
        System.out.println("DashboardQueriesIT: " + checked.size() + " dashboard queries checked:");
        checked.forEach(q -> System.out.println("  " + q));
        assertThat(checked).hasSizeGreaterThan(50);
        assertThat(empty).as("dashboard queries that returned no data").isEmpty();
    }

    @Test
    void everyAlertRuleParsesEvaluatesAndIsLoadedByPrometheus() throws Exception {
        JsonNode rules = YAML.readTree(LocalPrometheus.rules(REPO).toFile());
        List<String> names = new ArrayList<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                names.add(rule.path("alert").asText());
                query(rule.path("expr").asText(), "alert " + rule.path("alert").asText());
            }
        }
        assertThat(names).hasSizeGreaterThan(10);

        // Prometheus loaded exactly these rules and evaluates each without error.
        Map<String, String> health = new LinkedHashMap<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        do {
            health.clear();
            JsonNode groups = api("/api/v1/rules?type=alert").path("data").path("groups");
            for (JsonNode group : groups) {
                for (JsonNode rule : group.path("rules")) {
                    health.put(rule.path("name").asText(), rule.path("health").asText() + " "
                            + rule.path("state").asText() + rule.path("lastError").asText());
                }
            }
        } while (health.values().stream().anyMatch(h -> h.startsWith("unknown")) && pause(deadline));
        assertThat(health.keySet()).containsExactlyInAnyOrderElementsOf(names);
        // Every alert waits minutes in pending ("for:"), so none can fire within this test.
        assertThat(health).allSatisfy((name, h) -> assertThat(h).as(name).isIn("ok inactive", "ok pending"));
    }

    /** Grafana's variables as Grafana would fill them for this cluster, over a window that spans the whole test. */
    static String grafanaToPromQl(String expr) {
        String q = expr.replace("$namespace", LocalPrometheus.NAMESPACE)
                .replace("$__rate_interval", "5m").replace("$__interval", "10s").replace("$interval", "10s");
        assertThat(q).as("a Grafana variable this test does not know in " + expr).doesNotContain("$");
        return q;
    }

    /** A result with at least one sample that is a number (NaN, e.g. 0/0, draws nothing in Grafana). */
    private static boolean hasData(List<JsonNode> result) {
        return result.stream().anyMatch(s -> !s.path("value").path(1).asText().equals("NaN"));
    }

    /** Runs an instant query; fails unless Prometheus accepts it. */
    private static List<JsonNode> query(String promQl, String what) throws IOException, InterruptedException {
        JsonNode answer = api("/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8));
        assertThat(answer.path("status").asText()).as("%s: %s", what, answer.path("error").asText()).isEqualTo("success");
        List<JsonNode> out = new ArrayList<>();
        answer.path("data").path("result").forEach(out::add);
        return out;
    }

    private static JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** Polls until {@code promQl} returns a sample: the scrape that saw the event has happened. */
    private static void awaitSeries(String promQl) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        do {
            if (!query(promQl, promQl).isEmpty()) {
                return;
            }
        } while (pause(deadline));
        throw new AssertionError("Prometheus never had " + promQl + " within " + WAIT);
    }

    /**
     * Waits until every target has been scraped twice after now, so that a counter first seen in
     * the last scrape has the two samples {@code rate()} needs.
     */
    private static void awaitTwoMoreScrapes() throws IOException, InterruptedException {
        double now = System.currentTimeMillis() / 1000.0;
        double after = now + LocalPrometheus.SCRAPE_INTERVAL.toSeconds();
        awaitSeries("count(timestamp(up{namespace=\"" + LocalPrometheus.NAMESPACE + "\"} == 1) > " + after + ") == 3");
    }

    /** A short pause between polls of Prometheus; false once {@code deadline} has passed. */
    private static boolean pause(long deadline) throws InterruptedException {
        if (System.nanoTime() > deadline) {
            return false;
        }
        Thread.sleep(200);
        return true;
    }

    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(REPO.resolve("deploy/grafana"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is untidy, not wrong.
        }
    }
}
