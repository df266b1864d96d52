package dev.tern.bounce.app;

import static dev.tern.bounce.support.Messages.failedRecipient;
import static dev.tern.bounce.support.Messages.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.bounce.support.CommittedOffsets;
import dev.tern.bounce.support.DsnParts;
import dev.tern.bounce.support.InboundReader;
import dev.tern.common.config.TernConfig;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.queue.Provenance;
import dev.tern.common.queue.QueuedEnvelope;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Schedule;
import dev.tern.common.queue.Topics;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.local.testkit.TestAdminTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bounce service against a real Kafka broker and Infinispan server: failure records in,
 * notices out on {@code tern.inbound}, offsets committed behind them.
 */
@QuarkusTest
@QuarkusTestResource(value = TernClusterResource.class, initArgs = @ResourceArg(name = "topics",
        value = "tern.failed:2,tern.inbound:2,tern.events:2,tern.retry.5m:2,tern.feedback:2"))
class BounceServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    TernConfig tern;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/admin/suppression/")
    URL admin;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    private KafkaProducer<String, byte[]> producer;
    private InboundReader inbound;

    @BeforeEach
    void connect() {
        producer = new KafkaProducer<>(KafkaClients.producer(tern.kafka().bootstrapServers(), KafkaClientProperties.none(), 1 << 20, "test"));
        inbound = new InboundReader(tern.kafka().bootstrapServers());
    }

    @AfterEach
    void close() {
        producer.close();
        inbound.close();
    }

    private static String marker() {
        return "mark-" + UUID.randomUUID();
    }

    private void send(String topic, QueuedMessage m) throws Exception {
        producer.send(RecordCodec.toRecord(topic, m)).get();
    }

    private double count(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void turnsAFailureRecordIntoADeliveryStatusNotificationOnInbound() throws Exception {
        String marker = marker();
        String rcpt = marker + "@remote.test";
        send(Topics.FAILED, message("F-" + marker, "alice@origin.test",
                List.of(failedRecipient(rcpt, "550 5.1.1 no such user", "mx1.remote.test")),
                Instant.now().minusSeconds(60), null, null, marker));

        var notices = inbound.await(marker, 1, WAIT);

        assertThat(notices).hasSize(1);
        var notice = notices.get(0);
        assertThat(notice.sender()).isEmpty();
        assertThat(notice.recipients()).extracting(r -> r.address()).containsExactly("alice@origin.test");
        var dsn = DsnParts.parse(notice.body());
        assertThat(dsn.contentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        assertThat(dsn.perMessage()).containsEntry("Reporting-MTA", "dns; bounce.test");
        assertThat(dsn.perRecipient()).hasSize(1);
        assertThat(dsn.perRecipient().get(0))
                .containsEntry("Final-Recipient", "rfc822; " + rcpt)
                .containsEntry("Action", "failed")
                .containsEntry("Status", "5.1.1")
                .containsEntry("Remote-MTA", "dns; mx1.remote.test")
                .containsEntry("Diagnostic-Code", "smtp; 550 5.1.1 no such user")
                .containsEntry("X-Tern-Category", "invalid-recipient");
    }

    @Test
    void hardBouncesAreSuppressedAndTheAdminEndpointShowsAndLiftsThem() throws Exception {
        String marker = marker();
        String rcpt = marker + "@remote.test";
        send(Topics.FAILED, message("S-" + marker, "alice@origin.test",
                List.of(failedRecipient(rcpt, "550 5.1.1 no such user", null)), Instant.now(), null, null, marker));
        assertThat(inbound.await(marker, 1, WAIT)).hasSize(1);

        URI uri = admin.toURI().resolve(rcpt.toUpperCase(java.util.Locale.ROOT));
        var shown = adminCall("GET", uri, TestAdminTokens.VIEWER);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains("\"address\":\"" + rcpt + "\"").contains("5.1.1 no such user");

        assertThat(adminCall("DELETE", uri, TestAdminTokens.VIEWER).statusCode()).as("a viewer may not lift it")
                .isEqualTo(403);
        var deleted = adminCall("DELETE", uri, TestAdminTokens.OPERATOR);
        assertThat(deleted.statusCode()).isEqualTo(204);
        var gone = adminCall("GET", uri, TestAdminTokens.VIEWER);
        assertThat(gone.statusCode()).isEqualTo(404);
    }

    @Test
    void theSuppressionEndpointsNeedATokenAndDeleteAnOperatorToken() throws Exception {
        URI uri = admin.toURI().resolve(marker() + "@remote.test");
        for (String method : List.of("GET", "DELETE")) {
            var anonymous = adminCall(method, uri, null);
            assertThat(anonymous.statusCode()).as(method).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(method).get().asString()
                    .startsWith("Bearer");
            assertThat(anonymous.body()).as(method).contains("\"error\"");
            assertThat(adminCall(method, uri, "not-a-token").statusCode()).as(method).isEqualTo(401);
            // Not suppressed: 404 is the answer once past the guard.
            assertThat(adminCall(method, uri, TestAdminTokens.OPERATOR).statusCode()).as(method).isEqualTo(404);
        }
        assertThat(adminCall("GET", uri, TestAdminTokens.VIEWER).statusCode()).isEqualTo(404);
        assertThat(adminCall("DELETE", uri, TestAdminTokens.VIEWER).statusCode()).isEqualTo(403);
        assertThat(adminCall("GET", metrics.toURI(), null).statusCode()).as("metrics stay open").isEqualTo(200);
    }

    private static HttpResponse<String> adminCall(String method, URI uri, String token) throws Exception {
        var b = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", TestAdminTokens.bearer(token));
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void neverBouncesAFailureOfANullSenderMessage() throws Exception {
        String marker = marker();
        // Both records share a key, so they share a partition: the second proves the loop got past
        // the first. The marker is only in the first one's body (not in any id or ENVID).
        String id = "N-" + UUID.randomUUID();
        double before = count("tern.bounce.null.sender");
        send(Topics.FAILED, message(id, "", List.of(failedRecipient("x@remote.test", "550 5.1.1 no", null)),
                Instant.now(), null, null, marker));
        String after = marker();
        send(Topics.FAILED, message(id, "alice@origin.test",
                List.of(failedRecipient("y@remote.test", "554 5.7.1 no", null)), Instant.now(), null, null, after));

        assertThat(inbound.await(after, 1, WAIT)).hasSize(1);
        assertThat(count("tern.bounce.null.sender")).isEqualTo(before + 1);
        assertThat(inbound.await(marker, 1, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void skipsARecordThatDoesNotDecodeAndCarriesOn() throws Exception {
        double before = count("tern.bounce.malformed.records", "source", "failed");
        String key = "junk-" + UUID.randomUUID();
        producer.send(new ProducerRecord<>(Topics.FAILED, null, key, new byte[] {1, 2, 3}, new RecordHeaders())).get();
        String marker = marker();
        send(Topics.FAILED, new QueuedMessage(key, QueuedEnvelope.of("alice@origin.test",
                List.of(failedRecipient("z@remote.test", "554 5.7.1 no", null))), Provenance.NONE,
                new Schedule(1, null, Instant.now()), dev.tern.bounce.support.Messages.body(marker)));

        assertThat(inbound.await(marker, 1, WAIT)).hasSize(1);
        assertThat(count("tern.bounce.malformed.records", "source", "failed")).isEqualTo(before + 1);
    }

    @Test
    void commitsAFailureRecordOnceItsNoticeIsPublished() throws Exception {
        String marker = marker();
        var sent = producer.send(RecordCodec.toRecord(Topics.FAILED, message("R1-" + marker, "alice@origin.test",
                List.of(failedRecipient("a@remote.test", "554 5.7.1 no", null)), Instant.now(), null, null, marker)))
                .get();
        assertThat(inbound.await(marker, 1, WAIT)).hasSize(1);

        var partition = new TopicPartition(Topics.FAILED, sent.partition());
        try (var committed = new CommittedOffsets(tern.kafka().bootstrapServers(), "tern-bounce")) {
            // The throttled strategy commits on its interval, so wait for it rather than read once.
            assertThat(committed.awaitPast(partition, sent.offset(), WAIT)).isGreaterThan(sent.offset());
        }
        assertThat(inbound.await(marker, 2, Duration.ofSeconds(2))).hasSize(1);
    }

    @Test
    void sendsOneDelayNoticeForAMessageQueuedPastTheThreshold() throws Exception {
        String marker = marker();
        var waiting = message("D-" + marker, "alice@origin.test",
                List.of(failedRecipient("slow@remote.test", "421 4.7.0 try again later", "mx.remote.test")),
                Instant.now().minus(Duration.ofHours(5)), Instant.now().plus(Duration.ofMinutes(5)), null, marker);
        send("tern.retry.5m", waiting);
        send("tern.retry.5m", waiting);

        var notices = inbound.await(marker, 1, WAIT);

        assertThat(notices).hasSize(1);
        var fields = DsnParts.parse(notices.get(0).body()).perRecipient().get(0);
        assertThat(fields).containsEntry("Action", "delayed").containsEntry("Status", "4.7.0")
                .containsKey("Will-Retry-Until");
        send("tern.retry.5m", waiting);
        assertThat(inbound.await(marker, 2, Duration.ofSeconds(3))).hasSize(1);
    }

    @Test
    void exportsTheMetricNamesTheDashboardsUse() throws Exception {
        var body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics.toURI()).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();

        assertThat(body).contains("tern_bounce_notices_total{kind=\"failed\"}")
                .contains("tern_bounce_notices_total{kind=\"delayed\"}")
                .contains("tern_bounce_suppressed_total")
                .contains("tern_bounce_null_sender_total")
                .contains("tern_bounce_malformed_records_total{source=\"failed\"}");
    }
}
