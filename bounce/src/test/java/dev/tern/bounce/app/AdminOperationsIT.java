package dev.tern.bounce.app;

import static dev.tern.bounce.support.Messages.failedRecipient;
import static dev.tern.bounce.support.Messages.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.bounce.support.InboundReader;
import dev.tern.common.config.TernConfig;
import dev.tern.common.event.AcceptedEvent;
import dev.tern.common.event.AdminAuditEvent;
import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Topics;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.local.testkit.TestAdminTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The message trace and the suppression list/add endpoints against a real Kafka broker and
 * Infinispan server: {@code tern.events} records as ingress and delivery write them, the trace
 * consumer indexing them into Infinispan, the failure DSN the service itself publishes, and
 * {@code /admin/trace} answering for a delivered, a deferred-then-delivered and a bounced message.
 */
@QuarkusTest
@QuarkusTestResource(value = TernClusterResource.class, initArgs = @ResourceArg(name = "topics",
        value = "tern.failed:2,tern.inbound:2,tern.events:2,tern.retry.5m:2"))
class AdminOperationsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TernConfig tern;

    @TestHTTPResource("/admin/")
    URL admin;

    private KafkaProducer<String, byte[]> producer;
    private InboundReader inbound;

    @BeforeEach
    void connect() {
        producer = new KafkaProducer<>(KafkaClients.producer(tern.kafka().bootstrapServers(),
                KafkaClientProperties.none(), 1 << 20, "test"));
        inbound = new InboundReader(tern.kafka().bootstrapServers());
    }

    @AfterEach
    void close() {
        producer.close();
        inbound.close();
    }

    private void event(ProducerRecord<String, byte[]> record) throws Exception {
        producer.send(record).get();
    }

    private void accepted(String id, String messageId, String rcpt, long at) throws Exception {
        event(new AcceptedEvent(null, id, messageId, "alice@origin.test", List.of(rcpt), "192.0.2.7", "client.test",
                "ingress-0", "smtp", 2048, null, at).toRecord(Topics.EVENTS));
    }

    private void attempt(String id, String rcpt, int n, Outcome outcome, int code, String text, long at)
            throws Exception {
        event(new DeliveryEvent(id, rcpt, "alice@origin.test", "remote.test", "mx", "mx1.remote.test", "192.0.2.25",
                "TLSv1.3", code, text, n, 35, outcome, at).toRecord(Topics.EVENTS));
    }

    @Test
    void tracesADeliveredADeferredThenDeliveredAndABouncedMessage() throws Exception {
        String m = UUID.randomUUID().toString().substring(0, 8);
        long t = Instant.now().toEpochMilli();
        String rcpt = "trace-" + m + "@remote.test";
        // An admin audit record in the same stream: a kind the trace does not index, skipped.
        event(AdminAuditEvent.of("tern-delivery", "ops", "POST", "/admin/x", Map.of(), 200, "127.0.0.1", t)
                .toRecord(Topics.EVENTS));

        accepted("DLV-" + m, "<dlv-" + m + "@origin.test>", rcpt, t);
        attempt("DLV-" + m, rcpt, 1, Outcome.DELIVERED, 250, "2.0.0 Ok: queued as 1", t + 50);

        accepted("DEF-" + m, "<def-" + m + "@origin.test>", rcpt, t + 1);
        attempt("DEF-" + m, rcpt, 1, Outcome.DEFERRED, 451, "4.7.1 greylisted", t + 60);
        var deferred = awaitTrace("id=DEF-" + m, n -> n.path("attempts").size() == 1);
        assertThat(deferred.path("state").asText()).isEqualTo("deferred");
        assertThat(deferred.path("attempts").get(0).path("retryTier").asText()).startsWith("tern.retry.");
        attempt("DEF-" + m, rcpt, 2, Outcome.DELIVERED, 250, "2.0.0 ok", t + 120_000);

        String bounced = "BNC-" + m;
        accepted(bounced, "<bnc-" + m + "@origin.test>", rcpt, t + 2);
        attempt(bounced, rcpt, 1, Outcome.BOUNCED, 550, "5.1.1 no such user", t + 70);
        producer.send(RecordCodec.toRecord(Topics.FAILED, message(bounced, "alice@origin.test",
                List.of(failedRecipient(rcpt, "550 5.1.1 no such user", "mx1.remote.test")), Instant.now(), null,
                null, "marker-" + m))).get();

        var delivered = awaitTrace("id=DLV-" + m, n -> n.path("state").asText().equals("delivered"));
        assertThat(delivered.path("accepted").path("messageId").asText()).isEqualTo("<dlv-" + m + "@origin.test>");
        assertThat(delivered.path("accepted").path("clientIp").asText()).isEqualTo("192.0.2.7");
        assertThat(delivered.path("accepted").path("pod").asText()).isEqualTo("ingress-0");
        var a = delivered.path("attempts").get(0);
        assertThat(a.path("mxIp").asText()).isEqualTo("192.0.2.25");
        assertThat(a.path("replyCode").asInt()).isEqualTo(250);
        assertThat(a.path("latencyMs").asInt()).isEqualTo(35);
        assertThat(a.path("outcome").asText()).isEqualTo("DELIVERED");

        var later = awaitTrace("id=DEF-" + m, n -> n.path("state").asText().equals("delivered"));
        assertThat(later.path("attempts")).hasSize(2);
        assertThat(later.path("attempts").get(0).path("outcome").asText()).isEqualTo("DEFERRED");

        // The DSN (tern.failed's channel) and the attempt (tern.events') are indexed by two
        // consumers, in either order: wait for both.
        var bounce = awaitTrace("id=" + bounced, n -> n.has("dsn") && n.path("state").asText().equals("bounced"));
        assertThat(bounce.path("dsn").path("action").asText()).isEqualTo("failed");
        assertThat(bounce.path("dsn").path("to").asText()).isEqualTo("alice@origin.test");
        String noticeId = bounce.path("dsn").path("id").asText();
        assertThat(inbound.await("marker-" + m, 1, WAIT)).extracting(n -> n.id()).containsExactly(noticeId);

        var byMessageId = get("trace?message-id=" + enc("bnc-" + m + "@origin.test"), TestAdminTokens.VIEWER);
        assertThat(byMessageId.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(byMessageId.body()).path("messages")).extracting(n -> n.path("id").asText())
                .containsExactly(bounced);

        var byRecipient = get("trace?recipient=" + enc(rcpt.toUpperCase(java.util.Locale.ROOT)) + "&since="
                + Instant.ofEpochMilli(t) + "&until=" + Instant.ofEpochMilli(t + 1), TestAdminTokens.VIEWER);
        assertThat(byRecipient.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(byRecipient.body()).path("messages")).extracting(n -> n.path("id").asText())
                .containsExactly("DLV-" + m, "DEF-" + m);
    }

    @Test
    void theTraceEndpointAnswersNotFoundBadQueriesAndNeedsAToken() throws Exception {
        var missing = get("trace?id=never-" + UUID.randomUUID(), TestAdminTokens.VIEWER);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("messages").size()).isZero();
        assertThat(get("trace", TestAdminTokens.VIEWER).statusCode()).isEqualTo(400);
        assertThat(get("trace?id=a&recipient=b@c", TestAdminTokens.VIEWER).statusCode()).isEqualTo(400);
        assertThat(get("trace?recipient=b@c&since=yesterday", TestAdminTokens.VIEWER).statusCode()).isEqualTo(400);
        assertThat(get("trace?id=x", null).statusCode()).isEqualTo(401);
    }

    @Test
    void anOperatorAddsASuppressionAndTheListShowsIt() throws Exception {
        String address = "added-" + UUID.randomUUID() + "@remote.test";
        var uri = admin.toURI().resolve("suppression/" + address.toUpperCase(java.util.Locale.ROOT)
                + "?reason=" + enc("complained by phone") + "&duration=2d");
        assertThat(call("PUT", uri, TestAdminTokens.VIEWER).statusCode()).as("a viewer may not add").isEqualTo(403);
        var added = call("PUT", uri, TestAdminTokens.OPERATOR);
        assertThat(added.statusCode()).isEqualTo(200);
        JsonNode entry = JSON.readTree(added.body());
        assertThat(entry.path("address").asText()).isEqualTo(address);
        assertThat(entry.path("reason").asText()).isEqualTo("complained by phone");
        Instant until = Instant.parse(entry.path("until").asText());
        assertThat(until).isBetween(Instant.now().plus(Duration.ofDays(2)).minusSeconds(60),
                Instant.now().plus(Duration.ofDays(2)));

        var listed = get("suppression?limit=10000", TestAdminTokens.VIEWER);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(listed.body()).path("entries")).anySatisfy(e -> {
            assertThat(e.path("address").asText()).isEqualTo(address);
            assertThat(e.path("reason").asText()).isEqualTo("complained by phone");
        });
        assertThat(JSON.readTree(get("suppression?limit=1", TestAdminTokens.VIEWER).body()).path("entries"))
                .hasSize(1);
        assertThat(get("suppression/" + address, TestAdminTokens.VIEWER).statusCode()).isEqualTo(200);

        assertThat(call("PUT", admin.toURI().resolve("suppression/" + address + "?duration=soon"),
                TestAdminTokens.OPERATOR).statusCode()).isEqualTo(400);
        assertThat(call("PUT", admin.toURI().resolve("suppression/not-an-address"), TestAdminTokens.OPERATOR)
                .statusCode()).isEqualTo(400);
        assertThat(get("suppression?limit=0", TestAdminTokens.VIEWER).statusCode()).isEqualTo(400);
        assertThat(get("suppression?limit=x", TestAdminTokens.VIEWER).statusCode()).isEqualTo(400);
    }

    @Test
    void ternctlTracesAndManagesTheSuppressionListOverTheRealRoutes() throws Exception {
        String m = UUID.randomUUID().toString().substring(0, 8);
        String id = "CTL-" + m;
        String rcpt = "ctl-" + m + "@remote.test";
        long t = Instant.now().toEpochMilli();
        accepted(id, "<ctl-" + m + "@origin.test>", rcpt, t);
        attempt(id, rcpt, 1, Outcome.DEFERRED, 451, "4.7.1 greylisted", t + 10);
        attempt(id, rcpt, 2, Outcome.DELIVERED, 250, "2.0.0 ok", t + 20);
        awaitTrace("id=" + id, n -> n.path("attempts").size() == 2);

        var trace = ternctl("trace", id);
        assertThat(trace.code()).isZero();
        assertThat(trace.out()).contains(id + "  delivered").contains("from <alice@origin.test>")
                .contains("451 4.7.1 greylisted").contains("250 2.0.0 ok").contains("mx1.remote.test [192.0.2.25]");
        var json = ternctl("trace", "--message-id", "ctl-" + m + "@origin.test", "--json");
        assertThat(json.code()).isZero();
        assertThat(JSON.readTree(json.out()).path("messages").get(0).path("id").asText()).isEqualTo(id);
        assertThat(ternctl("trace", "never-" + m).code()).isEqualTo(2);

        String address = "ctl-suppressed-" + m + "@remote.test";
        var added = ternctl("suppression", "add", address, "--reason", "asked by phone", "--duration", "3d");
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.out()).contains("suppressed " + address + " until ");
        var listed = ternctl("suppression", "list", "--limit", "10000");
        assertThat(listed.out()).containsPattern(java.util.regex.Pattern.quote(address) + " +\\S+ +asked by phone");
        assertThat(ternctl("suppression", "show", address).code()).isZero();
        assertThat(ternctl("suppression", "remove", address).code()).isZero();
        assertThat(ternctl("suppression", "show", address).code()).isEqualTo(2);
        assertThat(ternctl("suppression", "remove", address).code()).isEqualTo(2);
        assertThat(ternctl("suppression", "add", address, "--duration", "whenever").code()).isEqualTo(1);
    }

    private record Ran(int code, String out, String err) {
    }

    /** ternctl in this JVM against this service, with the test's operator token. */
    private Ran ternctl(String... args) throws Exception {
        java.nio.file.Path token = java.nio.file.Files.createTempFile("ternctl-token", "");
        try {
            java.nio.file.Files.writeString(token, TestAdminTokens.OPERATOR);
            var all = new java.util.ArrayList<>(List.of("--bounce", admin.toURI().resolve("/").toString(),
                    "--delivery", "http://127.0.0.1:1", "--token-file", token.toString()));
            all.addAll(List.of(args));
            var out = new java.io.StringWriter();
            var err = new java.io.StringWriter();
            int code = dev.tern.ternctl.Ternctl.run(all.toArray(String[]::new), new java.io.PrintWriter(out),
                    new java.io.PrintWriter(err));
            return new Ran(code, out.toString(), err.toString());
        } finally {
            java.nio.file.Files.deleteIfExists(token);
        }
    }

    /** Polls the trace until the single message answered matches; the consumer runs asynchronously. */
    private JsonNode awaitTrace(String query, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            var response = get("trace?" + query, TestAdminTokens.VIEWER);
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                JsonNode messages = JSON.readTree(response.body()).path("messages");
                if (messages.size() == 1 && done.test(messages.get(0))) {
                    return messages.get(0);
                }
            }
            Thread.sleep(100); // poll interval while the consumer catches up
        }
        throw new AssertionError("trace?" + query + " never matched; last answer " + last);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return call("GET", admin.toURI().resolve(path), token);
    }

    private static HttpResponse<String> call(String method, URI uri, String token) throws Exception {
        var b = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", TestAdminTokens.bearer(token));
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
