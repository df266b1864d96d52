package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.local.testkit.smtp.SinkBehaviour;
import dev.tern.local.testkit.smtp.SinkReply;
import dev.tern.local.testkit.tools.DebianTools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The message trace end to end (docs/ARCHITECTURE.md, "Message trace and ternctl"): swaks →
 * ingress (accepted record) → delivery (attempts) → a real SMTP server, and for a hard bounce the
 * bounce service's DSN; then {@code GET /admin/trace} on bounce for a delivered, a
 * deferred-then-delivered and a bounced message.
 */
class MessageTraceEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern QUEUED = Pattern.compile("250 2\\.0\\.0 Ok: queued as (\\S+)");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static ClusterFixture fixture;

    @BeforeAll
    static void start() {
        fixture = ClusterFixture.start("[2s, 4s]", Map.of());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Sends one message with swaks; returns its queue id from the 250 reply. */
    private static String swaks(String from, String to, String body) throws Exception {
        var command = new ArrayList<>(List.of(DebianTools.swaks().toString(), "--server", "127.0.0.1", "--port",
                Integer.toString(fixture.smtpPort()), "--from", from, "--to", to, "--body", body));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        var m = QUEUED.matcher(out);
        assertThat(m.find()).as("swaks transcript: " + out).isTrue();
        return m.group(1);
    }

    private static JsonNode awaitTrace(String id, Predicate<JsonNode> done) throws Exception {
        var http = HttpClient.newHttpClient();
        var uri = URI.create("http://127.0.0.1:" + fixture.cluster.options().httpPort(Service.BOUNCE)
                + "/admin/trace?id=" + id);
        String token = fixture.cluster.adminToken().token().orElseThrow();
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            var r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200) {
                JsonNode m = JSON.readTree(r.body()).path("messages").path(0);
                if (done.test(m)) {
                    return m;
                }
            }
            Thread.sleep(200); // poll interval while the trace consumer catches up
        }
        throw new AssertionError("trace of " + id + " never matched; last answer " + last);
    }

    private static List<String> outcomes(JsonNode m) {
        var out = new ArrayList<String>();
        m.path("attempts").forEach(a -> out.add(a.path("outcome").asText()));
        return out;
    }

    @Test
    void tracesADeliveredADeferredThenDeliveredAndABouncedMessage() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);

        String delivered = swaks("a@sender.test", "ok-" + marker + "@remote.test", marker);
        var d = awaitTrace(delivered, m -> m.path("state").asText().equals("delivered") && m.has("accepted"));
        assertThat(d.path("accepted").path("sender").asText()).isEqualTo("a@sender.test");
        assertThat(d.path("accepted").path("helo").asText()).isNotBlank();
        assertThat(d.path("accepted").path("listener").asText()).isEqualTo("smtp");
        assertThat(d.path("accepted").path("messageId").asText()).startsWith("<");
        assertThat(outcomes(d)).containsExactly("DELIVERED");
        assertThat(d.path("attempts").get(0).path("replyCode").asInt()).isEqualTo(250);
        assertThat(d.path("attempts").get(0).path("mxIp").asText()).isEqualTo("127.0.0.1");

        fixture.sink.behaviour(SinkBehaviour.failRecipientFirst(1, SinkReply.of(451, "4.3.0 try later")));
        String deferred;
        try {
            deferred = swaks("a@sender.test", "retry-" + marker + "@remote.test", marker);
            var r = awaitTrace(deferred, m -> m.path("state").asText().equals("delivered"));
            assertThat(outcomes(r)).containsExactly("DEFERRED", "DELIVERED");
            assertThat(r.path("attempts").get(0).path("replyCode").asInt()).isEqualTo(451);
            assertThat(r.path("attempts").get(0).path("retryTier").asText()).isEqualTo("tern.retry.2s");
        } finally {
            fixture.sink.behaviour(SinkBehaviour.acceptAll());
        }

        String rejected = "gone-" + marker + "@remote.test";
        fixture.sink.behaviour(SinkBehaviour.rejectRecipients(rejected::equals, SinkReply.of(550, "5.1.1 no such user")));
        try {
            String bounced = swaks("writer@sender.test", rejected, marker);
            var b = awaitTrace(bounced, m -> m.has("dsn"));
            assertThat(b.path("state").asText()).isEqualTo("bounced");
            assertThat(outcomes(b)).containsExactly("BOUNCED");
            assertThat(b.path("dsn").path("action").asText()).isEqualTo("failed");
            assertThat(b.path("dsn").path("to").asText()).isEqualTo("writer@sender.test");
            // The notice is itself a message with a trace: delivered to the sender at the sink.
            var notice = awaitTrace(b.path("dsn").path("id").asText(), m -> m.path("state").asText().equals("delivered"));
            assertThat(notice.path("attempts").get(0).path("recipient").asText()).isEqualTo("writer@sender.test");
        } finally {
            fixture.sink.behaviour(SinkBehaviour.acceptAll());
        }
    }
}
