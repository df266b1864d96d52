package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.common.event.AdminAuditEvent;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.delivery.quarantine.QuarantineFollower;
import dev.tern.delivery.quarantine.QuarantineIndex;
import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.delivery.support.Eventually;
import dev.tern.delivery.support.QueueProbe;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.local.testkit.TestAdminTokens;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.smtp.SmtpSink;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Held mail as the operator sees it: records put on {@code tern.quarantine} the way ingress holds
 * them are listed and shown; a release queues the message (which the SMTP sink then receives) and
 * unlists it; a delete unlists it for good, also for a pod that reads the topic afresh; viewers may
 * read but not act.
 */
@QuarkusTest
@QuarkusTestResource(TernClusterResource.class)
@QuarkusTestResource(DeliveryTestResource.class)
class QuarantineIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static SmtpSink sink;
    static QueueProbe queue;

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void start() {
        sink = SmtpSink.builder().port(DeliveryTestResource.TestPorts.smtp()).start();
        queue = new QueueProbe();
    }

    @AfterAll
    static void stop() {
        sink.close();
        queue.close();
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        var b = HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", TestAdminTokens.bearer(token));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        var r = send("GET", path, TestAdminTokens.VIEWER);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private List<String> listed(String query) throws Exception {
        var ids = new ArrayList<String>();
        get("/admin/quarantine" + query).get("messages").forEach(m -> ids.add(m.get("id").asText()));
        return ids;
    }

    private void awaitListed(String id) {
        Eventually.await(Duration.ofSeconds(30), () -> quietly(() -> listed("")), ids -> ids.contains(id));
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    private static <T> T quietly(Probe<T> p) {
        try {
            return p.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void heldMailIsListedShownAndOnReleaseDelivered() throws Exception {
        QueuedMessage m = QueueProbe.message("spammy@sender.test", "quinn@relay.test");
        Instant before = Instant.now().minusSeconds(1);
        queue.quarantine(m, "milter: 550 5.7.1 looks like spam");
        awaitListed(m.id());

        JsonNode entry = null;
        for (JsonNode e : get("/admin/quarantine?limit=1000").get("messages")) {
            if (e.get("id").asText().equals(m.id())) {
                entry = e;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.get("sender").asText()).isEqualTo("spammy@sender.test");
        assertThat(entry.get("recipients").get(0).asText()).isEqualTo("quinn@relay.test");
        assertThat(entry.get("reason").asText()).isEqualTo("milter: 550 5.7.1 looks like spam");
        assertThat(entry.get("size").asLong()).isEqualTo(m.body().length);
        assertThat(Instant.parse(entry.get("quarantinedAt").asText())).isAfter(before);
        assertThat(listed("?sender=SPAMMY&reason=looks%20like")).contains(m.id());
        assertThat(listed("?recipient=nobody@elsewhere.test")).doesNotContain(m.id());
        assertThat(get("/admin/quarantine").get("held").asInt()).isPositive();

        JsonNode shown = get("/admin/quarantine/" + m.id());
        assertThat(shown.get("message").asText()).isEqualTo(new String(m.body(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(shown.get("reason").asText()).isEqualTo("milter: 550 5.7.1 looks like spam");
        var raw = HTTP.send(HttpRequest.newBuilder(base.resolve("/admin/quarantine/" + m.id() + "?raw=true"))
                .header("Authorization", TestAdminTokens.bearer(TestAdminTokens.VIEWER)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("content-type")).hasValue("message/rfc822");
        assertThat(raw.body()).isEqualTo(m.body());

        assertThat(send("POST", "/admin/quarantine/" + m.id() + "/release", TestAdminTokens.VIEWER).statusCode())
                .isEqualTo(403);
        var released = send("POST", "/admin/quarantine/" + m.id() + "/release", TestAdminTokens.OPERATOR);
        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
        assertThat(JSON.readTree(released.body()).get("action").asText()).isEqualTo("released");

        List<ReceivedMessage> received = Eventually.await(Duration.ofSeconds(30), sink::messages,
                l -> l.stream().anyMatch(r -> r.recipients().contains("quinn@relay.test")));
        assertThat(received).anySatisfy(r -> {
            assertThat(r.recipients()).containsExactly("quinn@relay.test");
            assertThat(r.sender()).isEqualTo("spammy@sender.test");
        });
        assertThat(listed("?limit=1000")).doesNotContain(m.id());
        assertThat(send("GET", "/admin/quarantine/" + m.id(), TestAdminTokens.VIEWER).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/admin/quarantine/" + m.id() + "/release", TestAdminTokens.OPERATOR).statusCode())
                .as("released once").isEqualTo(404);
        assertThat(send("GET", "/q/metrics", TestAdminTokens.VIEWER).body())
                .contains("tern_quarantine_actions_total{action=\"released\"} 1.0").contains("tern_quarantine_messages");
    }

    @Test
    void deletedMailStaysGoneForAPodThatReadsTheTopicAfresh() throws Exception {
        QueuedMessage doomed = QueueProbe.message("alice@sender.test", "rita@relay.test");
        queue.quarantine(doomed, "rspamd score 15.0 >= 10");
        awaitListed(doomed.id());

        assertThat(send("DELETE", "/admin/quarantine/" + doomed.id(), TestAdminTokens.VIEWER).statusCode())
                .isEqualTo(403);
        assertThat(listed("?limit=1000")).contains(doomed.id());
        var deleted = send("DELETE", "/admin/quarantine/" + doomed.id(), TestAdminTokens.OPERATOR);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(listed("?limit=1000")).doesNotContain(doomed.id());
        assertThat(send("GET", "/admin/quarantine/" + doomed.id(), TestAdminTokens.VIEWER).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/admin/quarantine/" + doomed.id(), TestAdminTokens.OPERATOR).statusCode())
                .isEqualTo(404);

        // A marker behind the tombstone in the same partition: once a fresh follower (a pod started
        // now) holds the marker, it has read the tombstone too.
        QueuedMessage marker = QueueProbe.message("alice@sender.test", "sam@relay.test");
        queue.quarantine(marker, "marker", queue.quarantinePartition(doomed.id()));
        var fresh = new QuarantineIndex(Duration.ofDays(30), 1000);
        String bootstrap = ConfigProvider.getConfig().getValue("tern.kafka.bootstrap-servers", String.class);
        var props = KafkaClients.consumer(bootstrap, KafkaClientProperties.none(), 1 << 20, "unused", "quarantine-it");
        props.remove("group.id");
        var follower = new QuarantineFollower(new KafkaConsumer<>(props), fresh);
        var thread = new Thread(follower, "quarantine-it-follower");
        thread.start();
        try {
            Eventually.await(Duration.ofSeconds(30), () -> fresh.find(marker.id(), Instant.now()), m -> m.isPresent());
            assertThat(fresh.find(doomed.id(), Instant.now())).isEmpty();
        } finally {
            follower.stop();
            thread.join(10_000);
        }
        assertThat(sink.messages()).noneMatch(r -> r.recipients().contains("rita@relay.test"));

        String key = "admin:" + ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
        String path = "/admin/quarantine/" + doomed.id();
        List<AdminAuditEvent> audit = Eventually.await(Duration.ofSeconds(30),
                () -> queue.rawEvents(key).stream().map(AdminAuditEvent::fromJson).filter(e -> e.path().equals(path))
                        .toList(), l -> l.size() >= 3);
        assertThat(audit).extracting(AdminAuditEvent::who, AdminAuditEvent::method, AdminAuditEvent::status)
                .containsExactly(tuple(TestAdminTokens.VIEWER_NAME, "DELETE", 403),
                        tuple(TestAdminTokens.OPERATOR_NAME, "DELETE", 200),
                        tuple(TestAdminTokens.OPERATOR_NAME, "DELETE", 404));
    }

    @Test
    void unknownIdsAre404AndBadLimits400() throws Exception {
        assertThat(send("GET", "/admin/quarantine/no-such-id", TestAdminTokens.VIEWER).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/admin/quarantine/no-such-id/release", TestAdminTokens.OPERATOR).statusCode())
                .isEqualTo(404);
        assertThat(send("DELETE", "/admin/quarantine/no-such-id", TestAdminTokens.OPERATOR).statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "/admin/quarantine?limit=0", TestAdminTokens.VIEWER).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/admin/quarantine?limit=many", TestAdminTokens.VIEWER).statusCode()).isEqualTo(400);
    }
}
