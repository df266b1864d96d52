package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.delivery.support.DeliveryTestResource.TestPorts;
import dev.tern.delivery.support.Eventually;
import dev.tern.delivery.support.QueueProbe;
import dev.tern.delivery.support.TestDnsServer;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.local.testkit.smtp.SinkReply;
import dev.tern.local.testkit.smtp.SinkRequest;
import dev.tern.local.testkit.smtp.SmtpSink;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bounce classification end to end (docs/ARCHITECTURE.md, "Bounce classification"): a real SMTP
 * sink (the MX of {@code classify.test} and {@code probe.test} in the test DNS) refuses recipients
 * with real-world wording, the delivery events on {@code tern.events} carry the category,
 * {@code tern_delivery_failures_total} counts it, and the test policy's operator rule
 * ({@code tern-rule-probe} → rate-limited, backoff) both renames a refusal and backs
 * {@code probe.test} off for its 1 m, so its next message is deferred without a connection.
 * The two domains are separate destinations, so the backoff leaves {@code classify.test} alone.
 */
@QuarkusTest
@QuarkusTestResource(TernClusterResource.class)
@QuarkusTestResource(DeliveryTestResource.class)
class BounceClassificationIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static SmtpSink sink;
    static TestDnsServer dns;
    static QueueProbe queue;
    static final List<String> asked = new CopyOnWriteArrayList<>();

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void start() throws IOException {
        dns = new TestDnsServer(TestPorts.dns())
                .mx("classify.test", 10, "mail.classify.test").a("mail.classify.test", "127.0.0.1")
                .mx("probe.test", 10, "mail.probe.test").a("mail.probe.test", "127.0.0.1");
        sink = SmtpSink.builder().port(TestPorts.smtp()).behaviour(BounceClassificationIT::reply).start();
        queue = new QueueProbe();
    }

    @AfterAll
    static void stop() {
        queue.close();
        sink.close();
        dns.close();
    }

    // RCPT replies by local part, as a large receiver would word them.
    private static SinkReply reply(SinkRequest r) {
        if (r.stage() != SinkRequest.Stage.RCPT) {
            return null;
        }
        asked.add(r.recipient());
        String local = r.recipient().substring(0, r.recipient().indexOf('@'));
        return switch (local) {
            case "unknown" -> SinkReply.of(550, "5.1.1 <unknown@classify.test>: Recipient address rejected: "
                    + "User unknown in virtual mailbox table");
            case "full" -> SinkReply.of(552, "5.2.2 <full@classify.test>: user is over quota");
            case "probe" -> SinkReply.of(550, "5.7.1 Message refused, tern-rule-probe");
            default -> null;
        };
    }

    private static List<DeliveryEvent> events(String id, int count) {
        return Eventually.await(Duration.ofSeconds(60), () -> queue.events(id), e -> e.size() >= count);
    }

    private static DeliveryEvent of(List<DeliveryEvent> events, String recipient) {
        return events.stream().filter(e -> e.recipient().equals(recipient)).findFirst().orElseThrow();
    }

    @Test
    void failuresCarryTheirCategoryInTheEventAndTheMetric() throws Exception {
        QueuedMessage m = QueueProbe.message("alice@sender.test", "unknown@classify.test", "full@classify.test");
        queue.enqueue(m);

        var events = events(m.id(), 2);

        DeliveryEvent unknown = of(events, "unknown@classify.test");
        assertThat(unknown.outcome()).isEqualTo(Outcome.BOUNCED);
        assertThat(unknown.category()).isEqualTo("invalid-recipient");
        DeliveryEvent full = of(events, "full@classify.test");
        assertThat(full.outcome()).isEqualTo(Outcome.BOUNCED);
        assertThat(full.category()).isEqualTo("mailbox-full");
        for (String category : List.of("invalid-recipient", "mailbox-full")) {
            String metric = "tern_delivery_failures_total{category=\"" + category + "\",outcome=\"bounced\"}";
            assertThat(Eventually.await(Duration.ofSeconds(10), this::metrics, text -> text.contains(metric)))
                    .contains(metric);
        }
    }

    @Test
    void anOperatorRuleRenamesTheFailureAndBacksTheDestinationOff() throws Exception {
        QueuedMessage probe = QueueProbe.message("alice@sender.test", "probe@probe.test");
        queue.enqueue(probe);

        DeliveryEvent refused = events(probe.id(), 1).get(0);
        assertThat(refused.outcome()).isEqualTo(Outcome.BOUNCED);
        assertThat(refused.category()).as("the shipped rules would say policy").isEqualTo("rate-limited");

        QueuedMessage next = QueueProbe.message("alice@sender.test", "next@probe.test");
        queue.enqueue(next);
        DeliveryEvent held = events(next.id(), 1).get(0);
        assertThat(held.outcome()).isEqualTo(Outcome.DEFERRED);
        assertThat(held.replyText()).contains("backs off");
        assertThat(asked).as("no connection was made for the held message").doesNotContain("next@probe.test");
    }

    private String metrics() {
        try {
            return HTTP.send(HttpRequest.newBuilder(base.resolve("/q/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
