package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.common.event.AdminAuditEvent;
import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.delivery.admin.ControlListener;
import dev.tern.delivery.admin.OperatorControls;
import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.delivery.support.Eventually;
import dev.tern.delivery.support.LongRetryTierProfile;
import dev.tern.delivery.support.QueueProbe;
import dev.tern.delivery.support.TestDnsServer;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.local.testkit.TestAdminTokens;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.smtp.SinkReply;
import dev.tern.local.testkit.smtp.SinkRequest;
import dev.tern.local.testkit.smtp.SmtpSink;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Queue actions through the admin API against the real queue, a real SMTP sink and a real LMTP sink
 * (docs/ARCHITECTURE.md, "Queue actions"), each while other mail keeps flowing. The retry ladder is
 * {@code [1s, 10m]}: mail the sink refused twice waits ten minutes on {@code tern.retry.10m}, so
 * delivery within the test's wait shows that an action made it due. The sink refuses RCPT with 451
 * for the domains in {@link #down}.
 */
@QuarkusTest
@QuarkusTestResource(TernClusterResource.class)
@QuarkusTestResource(DeliveryTestResource.class)
@TestProfile(LongRetryTierProfile.class)
class QueueActionsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Duration WAIT = Duration.ofSeconds(40);
    static final Set<String> down = ConcurrentHashMap.newKeySet();
    static SmtpSink sink;
    static SmtpSink lmtp;
    static TestDnsServer dns;
    static QueueProbe queue;

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void start() throws Exception {
        sink = SmtpSink.builder().port(DeliveryTestResource.TestPorts.smtp())
                .behaviour(r -> r.stage() == SinkRequest.Stage.RCPT && r.recipient() != null
                        && down.contains(r.recipient().substring(r.recipient().indexOf('@') + 1))
                        ? SinkReply.of(451, "4.4.1 try again later") : null)
                .start();
        lmtp = SmtpSink.builder().lmtp().port(DeliveryTestResource.TestPorts.lmtp()).start();
        dns = new TestDnsServer(DeliveryTestResource.TestPorts.dns());
        for (String d : List.of("flow.test", "skip.test", "stays.test", "moving.test", "later.test", "slow.test", "purge.test", "hold.test",
                "pause.test")) {
            dns.mx(d, 10, "mx." + d).a("mx." + d, "127.0.0.1");
        }
        queue = new QueueProbe();
    }

    @AfterAll
    static void stop() {
        sink.close();
        lmtp.close();
        dns.close();
        queue.close();
    }

    private HttpResponse<String> post(String path) throws Exception {
        var request = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", TestAdminTokens.bearer(TestAdminTokens.OPERATOR)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String path) throws Exception {
        var r = post(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private String metrics() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private String queues() throws Exception {
        var request = HttpRequest.newBuilder(base.resolve("/admin/queues"))
                .header("Authorization", TestAdminTokens.bearer(TestAdminTokens.VIEWER)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private List<DeliveryEvent> awaitEvent(QueuedMessage m, java.util.function.Predicate<DeliveryEvent> wanted) {
        var events = Eventually.await(WAIT, () -> queue.events(m.id()), e -> e.stream().anyMatch(wanted));
        assertThat(events).as("events of " + m.id()).anyMatch(wanted);
        return events;
    }

    /** Waits until {@code m} was refused twice, so it waits ten minutes on {@code tern.retry.10m}. */
    private void awaitOnTheLongTier(QueuedMessage m) {
        awaitEvent(m, e -> e.outcome() == Outcome.DEFERRED && e.attempt() == 2);
    }

    /** Mail to a healthy destination is delivered meanwhile. */
    private void mailKeepsFlowing() throws Exception {
        var other = QueueProbe.message("alice@sender.test", "flo@flow.test");
        queue.enqueue(other);
        sink.awaitMessage(r -> r.bodyText().contains(other.id()), WAIT);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void rerouteSendsQueuedMailToAnLmtpServerAtOnce() throws Exception {
        down.add("moving.test");
        var m = QueueProbe.message("alice@sender.test", "ann@moving.test");
        queue.enqueue(m);
        awaitOnTheLongTier(m);

        assertThat(post("/admin/destinations/moving.test/reroute?via=gopher://x").statusCode()).isEqualTo(400);
        assertThat(post("/admin/destinations/moving.test/reroute").statusCode()).isEqualTo(400);
        String via = "lmtp://127.0.0.1:" + DeliveryTestResource.TestPorts.lmtp();
        assertThat(ok("/admin/destinations/moving.test/reroute?via=" + encode(via)).get("touched").asInt()).isEqualTo(1);
        mailKeepsFlowing();

        var delivered = awaitEvent(m, e -> e.outcome() == Outcome.DELIVERED);
        assertThat(delivered).filteredOn(e -> e.outcome() == Outcome.DELIVERED).singleElement()
                .satisfies(e -> assertThat(e.transport()).isEqualTo(via));
        assertThat(lmtp.awaitMessage(r -> r.bodyText().contains(m.id()), WAIT).recipients())
                .containsExactly("ann@moving.test");
        assertThat(queues()).contains("\"rerouted\":{\"moving.test\":\"" + via + "\"}");

        // Back to MX: new mail for the domain goes to its MX host (the SMTP sink) again.
        ok("/admin/destinations/moving.test/reroute?via=mx");
        down.remove("moving.test");
        var after = QueueProbe.message("alice@sender.test", "ben@moving.test");
        queue.enqueue(after);
        sink.awaitMessage(r -> r.bodyText().contains(after.id()), WAIT);
        assertThat(metrics()).contains("tern_delivery_operator_actions_total{action=\"reroute\"} 2.0");
    }

    @Test
    void retryNowMakesTheDestinationsWaitingMailDueAndLeavesOtherRecipientsOnTheirSchedule() throws Exception {
        down.add("later.test");
        down.add("slow.test");
        var m = QueueProbe.message("alice@sender.test", "lea@later.test", "sol@slow.test");
        queue.enqueue(m);
        assertThat(Eventually.await(WAIT, () -> queue.events(m.id()),
                e -> e.stream().filter(x -> x.outcome() == Outcome.DEFERRED && x.attempt() == 2).count() == 2))
                .filteredOn(x -> x.outcome() == Outcome.DEFERRED && x.attempt() == 2).hasSize(2);

        down.remove("later.test");
        assertThat(ok("/admin/destinations/later.test/retry-now").get("touched").asInt()).isEqualTo(1);
        mailKeepsFlowing();

        awaitEvent(m, e -> e.recipient().equals("lea@later.test") && e.outcome() == Outcome.DELIVERED);
        ReceivedMessage received = sink.awaitMessage(r -> r.bodyText().contains(m.id()), WAIT);
        assertThat(received.recipients()).containsExactly("lea@later.test");
        // sol@slow.test still waits on the long tier with its original schedule: no third attempt.
        assertThat(queue.events(m.id())).filteredOn(e -> e.recipient().equals("sol@slow.test"))
                .allSatisfy(e -> assertThat(e.attempt()).isLessThanOrEqualTo(2));
        assertThat(JSON.readTree(queues()).at("/byDestination/slow.test/tern.retry.10m").asInt()).isEqualTo(1);
        // Nothing left to move: the copy was delivered and the original only holds sol@slow.test.
        assertThat(ok("/admin/destinations/later.test/retry-now").get("touched").asInt()).isZero();
        assertThat(sink.messages()).filteredOn(r -> r.bodyText().contains(m.id())).hasSize(1);
        down.remove("slow.test");
    }

    @Test
    void anOriginalWhoseRecipientsWereMovedLeavesThemOutWhenItComesDue() throws Exception {
        down.add("stays.test");
        // Deferred once as delivery would, due in 12 s on the 1 s tier: retry-now copies it before then.
        var first = QueueProbe.message("alice@sender.test", "mo@skip.test", "stu@stays.test");
        var waiting = first.forRetry(first.recipients(), 1, java.time.Instant.now().plusSeconds(12));
        queue.enqueue("tern.retry.1s", waiting);

        assertThat(ok("/admin/destinations/skip.test/retry-now").get("touched").asInt()).isEqualTo(1);
        awaitEvent(waiting, e -> e.recipient().equals("mo@skip.test") && e.outcome() == Outcome.DELIVERED);
        // When the original comes due only stu@stays.test is attempted (its second attempt).
        awaitEvent(waiting, e -> e.recipient().equals("stu@stays.test") && e.attempt() == 2);
        assertThat(queue.events(waiting.id())).filteredOn(e -> e.recipient().equals("mo@skip.test"))
                .as("no second run, not even one the journal answers").singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(Outcome.DELIVERED));
        assertThat(sink.messages()).filteredOn(r -> r.bodyText().contains(waiting.id()))
                .flatExtracting(ReceivedMessage::recipients).containsExactly("mo@skip.test");
        down.remove("stays.test");
    }

    @Test
    void purgeCountsFirstThenDeletesOnlyTheMatchingMailWithoutDsn() throws Exception {
        var viewer = HttpRequest.newBuilder(base.resolve("/admin/purge?destination=purge.test"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", TestAdminTokens.bearer(TestAdminTokens.VIEWER)).build();
        assertThat(HTTP.send(viewer, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        assertThat(post("/admin/purge").statusCode()).isEqualTo(400);
        assertThat(post("/admin/purge?destination=purge.test&sender=a%40b.test").statusCode()).isEqualTo(400);
        assertThat(post("/admin/destinations/purge.test/suspend").statusCode()).isEqualTo(202);
        var doomed = List.of(QueueProbe.message("alice@sender.test", "pia@purge.test"),
                QueueProbe.message("alice@sender.test", "pat@purge.test"),
                QueueProbe.message("bob@sender.test", "pam@purge.test", "fay@flow.test"));
        for (var m : doomed) {
            queue.enqueue(m);
        }
        for (var m : doomed) {
            awaitEvent(m, e -> e.outcome() == Outcome.DEFERRED);
        }

        var dryRun = ok("/admin/purge?destination=purge.test&dry-run=true");
        assertThat(dryRun.get("matched").asInt()).isEqualTo(3);
        assertThat(dryRun.get("dryRun").asBoolean()).isTrue();
        assertThat(queue.events(doomed.get(0).id())).noneMatch(e -> e.outcome() == Outcome.PURGED);

        var purge = ok("/admin/purge?destination=purge.test");
        assertThat(purge.get("matched").asInt()).isEqualTo(3);
        assertThat(purge.get("dryRun").asBoolean()).isFalse();
        for (var m : doomed) {
            var events = awaitEvent(m, e -> e.outcome() == Outcome.PURGED);
            assertThat(events).filteredOn(e -> e.outcome() == Outcome.PURGED).singleElement()
                    .satisfies(e -> assertThat(e.recipient()).endsWith("@purge.test"));
        }
        // The other recipient of the mixed message was delivered, and no DSN was queued for anyone.
        assertThat(sink.messages()).filteredOn(r -> r.bodyText().contains(doomed.get(2).id()))
                .flatExtracting(ReceivedMessage::recipients).containsExactly("fay@flow.test");
        for (var m : doomed) {
            assertThat(queue.queued(dev.tern.common.queue.Topics.FAILED, m.id())).isEmpty();
        }

        // Mail received after the order is not touched.
        assertThat(post("/admin/destinations/purge.test/resume").statusCode()).isEqualTo(202);
        var after = QueueProbe.message("alice@sender.test", "pip@purge.test");
        queue.enqueue(after);
        sink.awaitMessage(r -> r.bodyText().contains(after.id()), WAIT);
        assertThat(sink.messages()).noneMatch(r -> doomed.stream().anyMatch(m -> r.bodyText().contains(m.id()))
                && r.recipients().stream().anyMatch(a -> a.endsWith("@purge.test")));
        assertThat(Eventually.await(WAIT, () -> {
            try {
                return ok("/admin/purge?destination=purge.test&dry-run=true").get("matched").asInt();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, n -> n == 0)).as("purged mail is no longer counted").isZero();
        assertThat(metrics()).contains("tern_delivery_operator_actions_total{action=\"purge\"} 1.0");
        String key = "admin:" + ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
        var audit = Eventually.await(WAIT, () -> queue.rawEvents(key).stream().map(AdminAuditEvent::fromJson)
                .filter(e -> e.path().equals("/admin/purge") && e.status() == 200).toList(), l -> l.size() >= 3);
        assertThat(audit).as("dry runs and the purge, audited").extracting(e -> e.params().get("destination"))
                .containsOnly(List.of("purge.test"));
        assertThat(audit).extracting(e -> e.params().containsKey("dry-run")).contains(true, false);
    }

    @Test
    void aHeldMessageIsNotAttemptedUntilReleasedThenIsDueAtOnce() throws Exception {
        down.add("pause.test");
        var m = QueueProbe.message("alice@sender.test", "hal@pause.test");
        queue.enqueue(m);
        awaitOnTheLongTier(m);

        assertThat(ok("/admin/messages/" + m.id() + "/hold").get("touched").asInt()).isEqualTo(1);
        down.remove("pause.test");
        // Made due while held: met at once, and deferred again without an attempt.
        assertThat(ok("/admin/destinations/pause.test/retry-now").get("touched").asInt()).isEqualTo(1);
        awaitEvent(m, e -> e.replyText().contains("Held by the operator"));
        assertThat(queue.events(m.id())).noneMatch(e -> e.outcome() == Outcome.DELIVERED);
        assertThat(sink.messages()).noneMatch(r -> r.bodyText().contains(m.id()));
        // Another message to the same destination is delivered.
        var other = QueueProbe.message("alice@sender.test", "hue@pause.test");
        queue.enqueue(other);
        sink.awaitMessage(r -> r.bodyText().contains(other.id()), WAIT);
        assertThat(metrics()).contains("tern_delivery_held_messages 1.0");
        assertThat(queues()).contains("\"held\":[\"" + m.id() + "\"]");

        // A pod that starts now replays the hold from tern.control.
        assertThat(replayedControls(c -> c.isHeld(m.id())).isHeld(m.id())).isTrue();

        assertThat(ok("/admin/messages/" + m.id() + "/release").get("touched").asInt()).isEqualTo(1);
        awaitEvent(m, e -> e.outcome() == Outcome.DELIVERED);
        assertThat(sink.awaitMessage(r -> r.bodyText().contains(m.id()), WAIT).recipients())
                .containsExactly("hal@pause.test");
        assertThat(metrics()).contains("tern_delivery_held_messages 0.0")
                .contains("tern_delivery_operator_actions_total{action=\"hold\"} 1.0")
                .contains("tern_delivery_operator_actions_total{action=\"release\"} 1.0");
    }

    /** Controls as a pod starting now rebuilds them from tern.control, once {@code ready} holds. */
    private static OperatorControls replayedControls(java.util.function.Predicate<OperatorControls> ready) {
        String bootstrap = ConfigProvider.getConfig().getValue("tern.kafka.bootstrap-servers", String.class);
        var props = KafkaClients.consumer(bootstrap, KafkaClientProperties.none(), 1 << 20, "unused", "replay-test");
        props.remove("group.id");
        var controls = new OperatorControls();
        var listener = new ControlListener(new KafkaConsumer<>(props), controls);
        var thread = new Thread(listener, "replay-test");
        thread.start();
        try {
            return Eventually.await(WAIT, () -> controls, ready);
        } finally {
            listener.stop();
        }
    }
}
