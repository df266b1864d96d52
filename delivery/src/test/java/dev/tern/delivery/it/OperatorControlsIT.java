package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tern.common.event.AdminAuditEvent;
import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.delivery.support.Eventually;
import dev.tern.delivery.support.QueueProbe;
import dev.tern.delivery.support.TestDnsServer;
import dev.tern.local.testkit.smtp.SmtpSink;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.local.testkit.TestAdminTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's view and controls: suspend/resume over HTTP (published on {@code tern.control}),
 * the queue report, and the Prometheus metrics the Grafana dashboards read; the admin API's bearer
 * tokens (viewer reads, operator writes) and the audit records of operator actions.
 */
@QuarkusTest
@QuarkusTestResource(TernClusterResource.class)
@QuarkusTestResource(DeliveryTestResource.class)
class OperatorControlsIT {

    static SmtpSink sink;
    static TestDnsServer dns;
    static QueueProbe queue;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void start() throws Exception {
        sink = SmtpSink.builder().port(DeliveryTestResource.TestPorts.smtp()).start();
        dns = new TestDnsServer(DeliveryTestResource.TestPorts.dns())
                .mx("held.test", 10, "mx.held.test").a("mx.held.test", "127.0.0.1")
                .mx("closing.test", 10, "mx.closing.test").a("mx.closing.test", "127.0.0.1");
        queue = new QueueProbe();
    }

    @AfterAll
    static void stop() {
        sink.close();
        dns.close();
        queue.close();
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        var b = HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", TestAdminTokens.bearer(token));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An operator's POST. */
    private HttpResponse<String> post(String path) throws Exception {
        return send("POST", path, TestAdminTokens.OPERATOR);
    }

    /** A viewer's GET: reading needs no more. */
    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, TestAdminTokens.VIEWER);
    }

    /** A GET without a token: health and metrics stay open. */
    private HttpResponse<String> open(String path) throws Exception {
        return send("GET", path, null);
    }

    @Test
    void suspendedDestinationWaitsUntilResumed() throws Exception {
        assertThat(post("/admin/destinations/held.test/suspend").statusCode()).isEqualTo(202);
        var m = QueueProbe.message("alice@sender.test", "quinn@held.test");
        queue.enqueue(m);

        var first = Eventually.await(Duration.ofSeconds(30), () -> queue.events(m.id()), e -> !e.isEmpty());
        assertThat(first.get(0).outcome()).isEqualTo(Outcome.DEFERRED);
        assertThat(first.get(0).replyText()).startsWith("4.4.5");
        String report = get("/admin/queues").body();
        assertThat(report).contains("\"suspended\":[\"held.test\"]");
        // The deferred recipient waits on the 2 s tier, counted by its domain.
        assertThat(report).contains("\"byDestination\":{").contains("\"held.test\":{\"tern.retry.2s\":");

        assertThat(post("/admin/destinations/held.test/resume").statusCode()).isEqualTo(202);
        List<DeliveryEvent> events = Eventually.await(Duration.ofSeconds(30), () -> queue.events(m.id()),
                e -> e.stream().anyMatch(x -> x.outcome() == Outcome.DELIVERED));
        assertThat(events).extracting(DeliveryEvent::outcome).contains(Outcome.DELIVERED);
        assertThat(open("/q/metrics").body()).contains("tern_delivery_retry_lag_seconds{tier=\"2s\"}");
    }

    @Test
    void aBounceOrderFailsQueuedAndNewMailUntilCancelled() throws Exception {
        // Queued first: suspended, the message waits on the 2 s tier.
        assertThat(post("/admin/destinations/closing.test/suspend").statusCode()).isEqualTo(202);
        var queued = QueueProbe.message("alice@sender.test", "sam@closing.test");
        queue.enqueue(queued);
        Eventually.await(Duration.ofSeconds(30), () -> queue.events(queued.id()), e -> !e.isEmpty());

        assertThat(post("/admin/destinations/closing.test/bounce?duration=soon").statusCode())
                .as("a bad duration").isEqualTo(400);
        var ordered = post("/admin/destinations/closing.test/bounce?reason=domain%20closed&duration=1h");
        assertThat(ordered.statusCode()).isEqualTo(202);
        assertThat(ordered.body()).contains("\"reason\":\"domain closed\"").contains("\"until\":");
        assertThat(get("/admin/queues").body()).contains("\"bounced\":{\"closing.test\":{");

        var arriving = QueueProbe.message("alice@sender.test", "tess@closing.test");
        queue.enqueue(arriving);
        for (var m : List.of(queued, arriving)) {
            List<DeliveryEvent> events = Eventually.await(Duration.ofSeconds(30), () -> queue.events(m.id()),
                    e -> e.stream().anyMatch(x -> x.outcome() == Outcome.BOUNCED));
            DeliveryEvent bounced = events.stream().filter(x -> x.outcome() == Outcome.BOUNCED).findFirst().orElseThrow();
            assertThat(bounced.replyCode()).isEqualTo(550);
            assertThat(bounced.replyText()).startsWith("5.7.1").contains("domain closed");
        }
        assertThat(sink.messages()).noneMatch(r -> r.recipients().stream().anyMatch(a -> a.endsWith("@closing.test")));
        assertThat(open("/q/metrics").body()).contains("tern_delivery_refused_total{reason=\"operator\"} 2.0");

        assertThat(post("/admin/destinations/closing.test/bounce-cancel").statusCode()).isEqualTo(202);
        assertThat(post("/admin/destinations/closing.test/resume").statusCode()).isEqualTo(202);
        var after = QueueProbe.message("alice@sender.test", "uma@closing.test");
        queue.enqueue(after);
        List<DeliveryEvent> events = Eventually.await(Duration.ofSeconds(30), () -> queue.events(after.id()),
                e -> !e.isEmpty());
        assertThat(events.get(0).outcome()).isEqualTo(Outcome.DELIVERED);
    }

    @Test
    void everyAdminRouteNeedsATokenAndEveryWriteAnOperatorToken() throws Exception {
        String d = "/admin/destinations/guarded.test/";
        // In this order, so the operator's writes leave guarded.test as they found it.
        var writes = List.of(d + "suspend", d + "resume", d + "bounce?reason=r&duration=1s", d + "bounce-cancel");
        for (String path : writes) {
            var anonymous = send("POST", path, null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(path).get().asString().startsWith("Bearer");
            assertThat(anonymous.body()).as(path).contains("\"error\"");
            assertThat(send("POST", path, "not-a-token").statusCode()).as(path).isEqualTo(401);
            assertThat(send("POST", path, TestAdminTokens.VIEWER).statusCode()).as(path).isEqualTo(403);
            assertThat(post(path).statusCode()).as(path).isEqualTo(202);
        }
        assertThat(open("/admin/queues").statusCode()).isEqualTo(401);
        assertThat(get("/admin/queues").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/admin/queues", TestAdminTokens.OPERATOR).statusCode()).isEqualTo(200);
        assertThat(open("/admin/not-a-route-yet").statusCode()).as("paths added later are guarded").isEqualTo(401);
        assertThat(open("/q/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void operatorActionsAreAuditedOnTheEventsTopicByTokenName() throws Exception {
        assertThat(post("/admin/destinations/audited.test/bounce?reason=audit%20me&duration=1s").statusCode())
                .isEqualTo(202);
        assertThat(send("POST", "/admin/destinations/audited.test/bounce-cancel", TestAdminTokens.VIEWER).statusCode())
                .isEqualTo(403);
        String key = "admin:" + ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
        List<AdminAuditEvent> audit = Eventually.await(Duration.ofSeconds(30),
                () -> queue.rawEvents(key).stream().map(AdminAuditEvent::fromJson)
                        .filter(e -> e.path().startsWith("/admin/destinations/audited.test/")).toList(),
                l -> l.size() >= 2);
        assertThat(audit).extracting(AdminAuditEvent::who, AdminAuditEvent::method, AdminAuditEvent::path,
                AdminAuditEvent::status).containsExactly(
                        tuple(TestAdminTokens.OPERATOR_NAME, "POST", "/admin/destinations/audited.test/bounce", 202),
                        tuple(TestAdminTokens.VIEWER_NAME, "POST", "/admin/destinations/audited.test/bounce-cancel", 403));
        assertThat(audit.get(0).params()).containsEntry("reason", List.of("audit me"));
        assertThat(audit.get(0).kind()).isEqualTo(AdminAuditEvent.KIND);
        assertThat(queue.rawEvents(key)).allSatisfy(raw -> assertThat(new String(raw, StandardCharsets.UTF_8))
                .doesNotContain(TestAdminTokens.OPERATOR).doesNotContain(TestAdminTokens.VIEWER));
        assertThat(queue.rawEvents(key).stream().map(AdminAuditEvent::fromJson))
                .as("reads are not audited").noneMatch(e -> e.method().equals("GET"));
    }

    @Test
    void reportsQueuedCountsPerTier() throws Exception {
        var r = get("/admin/queues");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"waiting\":{").contains("\"tern.inbound\"").contains("\"tern.retry.2s\"")
                .contains("\"inFlight\"");
    }

    @Test
    void exportsTheMetricsTheDashboardsUse() throws Exception {
        var m = QueueProbe.message("alice@sender.test", "rita@held.test");
        queue.enqueue(m);
        Eventually.await(Duration.ofSeconds(30), () -> queue.events(m.id()), e -> !e.isEmpty());

        String metrics = open("/q/metrics").body();
        assertThat(metrics).contains("tern_delivery_attempts_total{destination_class=\"mx\",outcome=\"delivered\"}")
                .contains("tern_delivery_attempt_seconds_bucket")
                .contains("tern_delivery_inflight")
                .contains("tern_delivery_connections_active");
    }
}
