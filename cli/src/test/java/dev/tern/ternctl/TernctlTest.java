package dev.tern.ternctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ternctl against a real HTTP server on loopback that answers the delivery and bounce admin API as
 * COMMON's contract for issue 13 describes it (the bounce service's own routes are exercised by
 * bounce's AdminOperationsIT): request paths, query and token, the printed output, --json and the
 * exit codes.
 */
class TernctlTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret-operator-token";

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private Path tokenFile;
    private String base;

    private record Answer(int status, String body) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        String query = x.getRequestURI().getRawQuery();
        String line = x.getRequestMethod() + " " + x.getRequestURI().getRawPath()
                + (query == null ? "" : "?" + URLDecoder.decode(query, StandardCharsets.UTF_8));
        requests.add(line + " auth=" + x.getRequestHeaders().getFirst("Authorization"));
        Answer a = answers.getOrDefault(x.getRequestMethod() + " " + x.getRequestURI().getRawPath(),
                new Answer(404, "{\"error\":\"no such route\"}"));
        if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
            a = new Answer(401, "{\"error\":\"bearer token required\"}");
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(a.status(), a.status() == 204 ? -1 : body.length);
        if (a.status() != 204) {
            x.getResponseBody().write(body);
        }
        x.close();
    }

    private void answer(String methodAndPath, int status, String body) {
        answers.put(methodAndPath, new Answer(status, body));
    }

    private record Run(int code, String out, String err) {
    }

    private Run ternctl(String... args) {
        var all = new ArrayList<String>(List.of("--delivery", base, "--bounce", base + "/", "--token-file",
                tokenFile.toString()));
        all.addAll(List.of(args));
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Ternctl.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void queuesPrintsTablesOrTheServersJsonAndSendsTheToken() throws Exception {
        String queues = "{\"waiting\":{\"tern.inbound\":2,\"tern.retry.5m\":7},\"byDestination\":{\"example.org\":"
                + "{\"tern.retry.5m\":7}},\"scanned\":9,\"truncated\":false,\"inFlight\":1,\"inFlightByDestination\":{},"
                + "\"connections\":3,\"suspended\":[\"slow.example\"],\"bounced\":{}}";
        answer("GET /admin/queues", 200, queues);

        Run table = ternctl("queues");
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("TOPIC          WAITING").contains("tern.retry.5m  7")
                .contains("example.org  tern.retry.5m  7").contains("suspended: slow.example")
                .contains("bounced: none");
        assertThat(requests).containsExactly("GET /admin/queues auth=Bearer " + TOKEN);

        Run json = ternctl("queues", "--json");
        assertThat(json.code()).isZero();
        assertThat(JSON.readTree(json.out())).isEqualTo(JSON.readTree(queues));
    }

    @Test
    void purgeDryRunSendsEveryFilterAndSaysWhatItWouldDo() throws Exception {
        answer("POST /admin/purge", 200, "{\"matched\":3,\"dryRun\":true}");

        Run r = ternctl("purge", "--destination", "example.org", "--sender", "spam@bad.test", "--dry-run");

        assertThat(r.code()).isZero();
        assertThat(r.out().trim()).isEqualTo("would purge 3 message(s)");
        assertThat(requests).singleElement().asString()
                .startsWith("POST /admin/purge?destination=example.org&sender=spam@bad.test&dry-run=true ");

        answer("POST /admin/purge", 200, "{\"matched\":2,\"dryRun\":false}");
        Run done = ternctl("--json", "purge", "--id", "Q1");
        assertThat(done.code()).isZero();
        assertThat(JSON.readTree(done.out()).path("matched").asInt()).isEqualTo(2);
    }

    @Test
    void purgeWithoutAFilterAndUnknownOptionsAreUsageErrors() {
        Run none = ternctl("purge", "--dry-run");
        assertThat(none.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(none.err()).contains("at least one of --destination");
        assertThat(ternctl("purge", "--colour", "blue").code()).isEqualTo(ExitCodes.ERROR);
        assertThat(ternctl("no-such-command").code()).isEqualTo(ExitCodes.ERROR);
        assertThat(requests).isEmpty();
    }

    @Test
    void destinationCommandsUseTheirRoutes() {
        answer("POST /admin/destinations/example.org/suspend", 202, "{\"command\":\"suspend\",\"destination\":\"example.org\"}");
        answer("POST /admin/destinations/example.org/resume", 202, "{\"command\":\"resume\",\"destination\":\"example.org\"}");
        answer("POST /admin/destinations/example.org/retry-now", 200, "{\"touched\":4}");
        answer("POST /admin/destinations/example.org/reroute", 200, "{\"touched\":4}");

        assertThat(ternctl("suspend", "example.org").out()).contains("suspended example.org");
        assertThat(ternctl("resume", "example.org").out()).contains("resumed example.org");
        assertThat(ternctl("retry-now", "example.org").out()).contains("retrying 4 message(s)");
        Run reroute = ternctl("reroute", "example.org", "--via", "smtp://relay.test:2525");
        assertThat(reroute.code()).isZero();
        assertThat(reroute.out()).contains("via smtp://relay.test:2525");
        assertThat(requests).extracting(s -> s.substring(0, s.indexOf(" auth="))).containsExactly(
                "POST /admin/destinations/example.org/suspend", "POST /admin/destinations/example.org/resume",
                "POST /admin/destinations/example.org/retry-now",
                "POST /admin/destinations/example.org/reroute?via=smtp://relay.test:2525");
        assertThat(ternctl("reroute", "example.org").code()).as("--via is required").isEqualTo(ExitCodes.ERROR);
    }

    @Test
    void holdAndReleaseAreNotFoundWhenNothingWasTouched() {
        answer("POST /admin/messages/Q1/hold", 200, "{\"touched\":1}");
        answer("POST /admin/messages/Q2/hold", 200, "{\"touched\":0}");
        answer("POST /admin/messages/Q1/release", 200, "{\"touched\":1}");

        assertThat(ternctl("hold", "Q1").code()).isZero();
        Run missing = ternctl("hold", "Q2");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.out()).contains("no queued message Q2");
        assertThat(ternctl("release", "Q1").out()).contains("released Q1");
        assertThat(ternctl("release", "Q9").code()).as("404 from the server").isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void serverErrorsAreOneAuthAndUnreachableAreThree() throws Exception {
        answer("POST /admin/destinations/bad/reroute", 400, "{\"error\":\"via must be smtp://, lmtp:// or mx\"}");
        Run refused = ternctl("reroute", "bad", "--via", "ftp://x");
        assertThat(refused.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(refused.err()).contains("400").contains("via must be smtp://");

        answer("GET /admin/queues", 503, "{\"error\":\"kafka down\"}");
        assertThat(ternctl("queues").code()).isEqualTo(ExitCodes.ERROR);

        Files.writeString(tokenFile, "wrong-token");
        Run unauthorised = ternctl("queues");
        assertThat(unauthorised.code()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(unauthorised.err()).contains("refused the token");

        Files.delete(tokenFile);
        Run noToken = ternctl("queues");
        assertThat(noToken.code()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(noToken.err()).contains("no token file");

        Files.writeString(tokenFile, TOKEN);
        int closed;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Ternctl.run(new String[] {"--delivery", "http://127.0.0.1:" + closed, "--token-file",
                tokenFile.toString(), "queues"}, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(err.toString()).contains("unreachable");
    }

    @Test
    void traceRendersTheMessageAndIsNotFoundWhenThereIsNone() throws Exception {
        String trace = "{\"messages\":[{\"id\":\"Q7\",\"accepted\":{\"id\":\"Q7\",\"messageId\":\"<m@x>\","
                + "\"sender\":\"alice@origin.test\",\"recipients\":[\"bob@remote.test\"],\"clientIp\":\"192.0.2.7\","
                + "\"helo\":\"client.test\",\"pod\":\"ingress-0\",\"listener\":\"smtp\",\"size\":2048,"
                + "\"timestamp\":1767225600000},\"attempts\":[{\"recipient\":\"bob@remote.test\",\"mxHost\":"
                + "\"mx1.remote.test\",\"mxIp\":\"192.0.2.25\",\"replyCode\":451,\"replyText\":\"4.7.1 greylisted\","
                + "\"attempt\":1,\"latencyMs\":35,\"outcome\":\"DEFERRED\",\"timestamp\":1767225601000,"
                + "\"retryTier\":\"tern.retry.5m\"}],\"state\":\"deferred\"}]}";
        answer("GET /admin/trace", 200, trace);

        Run r = ternctl("trace", "Q7");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Q7  deferred").contains("accepted 2026-01-01T00:00:00Z from <alice@origin.test>")
                .contains("message-id <m@x>").contains("451 4.7.1 greylisted").contains("mx1.remote.test [192.0.2.25]")
                .contains("tern.retry.5m");
        assertThat(ternctl("trace", "--recipient", "bob@remote.test", "--since", "2026-01-01T00:00:00Z", "--json")
                .out()).isNotEmpty();
        assertThat(requests.get(1)).startsWith(
                "GET /admin/trace?recipient=bob@remote.test&since=2026-01-01T00:00:00Z ");
        assertThat(ternctl("trace", "Q7", "--message-id", "m@x").code()).as("one key only").isEqualTo(ExitCodes.ERROR);
        assertThat(ternctl("trace", "Q7", "--since", "2026-01-01T00:00:00Z").code()).isEqualTo(ExitCodes.ERROR);

        answer("GET /admin/trace", 404, "{\"messages\":[]}");
        Run none = ternctl("trace", "--message-id", "nothing@x");
        assertThat(none.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(none.err()).contains("no trace for nothing@x");
    }

    @Test
    void quarantineListAndRelease() {
        answer("GET /admin/quarantine", 200, "{\"held\":1,\"messages\":[{\"id\":\"H1\",\"sender\":\"a@x\","
                + "\"recipients\":[\"b@y\"],\"reason\":\"virus\",\"size\":10,\"quarantinedAt\":\"2026-01-01T00:00:00Z\"}]}");
        answer("POST /admin/quarantine/H1/release", 200, "{\"released\":\"H1\"}");

        Run list = ternctl("quarantine", "list", "--reason", "virus");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("H1").contains("virus").contains("held: 1");
        assertThat(ternctl("quarantine", "release", "H1").out()).contains("released H1");
        assertThat(ternctl("quarantine", "release", "H2").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(requests.get(0)).startsWith("GET /admin/quarantine?limit=100&reason=virus ");
    }
}
