package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.delivery.support.Eventually;
import dev.tern.delivery.support.QueueProbe;
import dev.tern.delivery.support.TestDnsServer;
import dev.tern.local.testkit.smtp.SmtpSink;
import dev.tern.local.testkit.TernClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's view and controls: suspend/resume over HTTP (published on {@code tern.control}),
 * the queue report, and the Prometheus metrics the Grafana dashboards read.
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

    private HttpResponse<String> post(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
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
        assertThat(get("/q/metrics").body()).contains("tern_delivery_retry_lag_seconds{tier=\"2s\"}");
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
        assertThat(get("/q/metrics").body()).contains("tern_delivery_refused_total{reason=\"operator\"} 2.0");

        assertThat(post("/admin/destinations/closing.test/bounce-cancel").statusCode()).isEqualTo(202);
        assertThat(post("/admin/destinations/closing.test/resume").statusCode()).isEqualTo(202);
        var after = QueueProbe.message("alice@sender.test", "uma@closing.test");
        queue.enqueue(after);
        List<DeliveryEvent> events = Eventually.await(Duration.ofSeconds(30), () -> queue.events(after.id()),
                e -> !e.isEmpty());
        assertThat(events.get(0).outcome()).isEqualTo(Outcome.DELIVERED);
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

        String metrics = get("/q/metrics").body();
        assertThat(metrics).contains("tern_delivery_attempts_total{destination_class=\"mx\",outcome=\"delivered\"}")
                .contains("tern_delivery_attempt_seconds_bucket")
                .contains("tern_delivery_inflight")
                .contains("tern_delivery_connections_active");
    }
}
