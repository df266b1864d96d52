package dev.tern.bounce.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.config.TernConfig;
import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.queue.Topics;
import dev.tern.local.testkit.TernClusterResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * The bounce service as deployed: a policy file with a {@code webhooks:} entry starts that
 * endpoint's consumer of {@code tern.events} with the service, events reach a real receiver that
 * checks their signature, and the metrics are exported under their contract names.
 */
@QuarkusTest
@TestProfile(WebhookServiceIT.WithAWebhook.class)
class WebhookServiceIT {

    static final String NAME = "it-" + UUID.randomUUID().toString().substring(0, 8);
    static final String SECRET = "whsec-" + UUID.randomUUID();
    static WebhookReceiver receiver;

    /** A policy naming one webhook, the receiver it points at, and the cluster. */
    public static final class WithAWebhook implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TernClusterResource.class,
                    Map.of(TernClusterResource.TOPICS_ARG, "tern.failed:2,tern.inbound:2,tern.events:2,tern.retry.5m:2")),
                    new TestResourceEntry(ReceiverAndPolicy.class));
        }
    }

    /** Starts the receiver and writes the policy and its secret file. */
    public static final class ReceiverAndPolicy implements QuarkusTestResourceLifecycleManager {
        private Path dir;

        @Override
        public Map<String, String> start() {
            try {
                receiver = new WebhookReceiver(SECRET, false);
                dir = Files.createTempDirectory("tern-webhook-it");
                Files.writeString(dir.resolve("secret"), SECRET + "\n");
                Files.writeString(dir.resolve("policy.yaml"), "webhooks:\n  - name: " + NAME + "\n    url: "
                        + receiver.url() + "\n    secret-file: secret\n    events: [delivered, bounced]\n"
                        + "    max-wait: 200ms\n    start: earliest\n");
                return Map.of("tern.policy", dir.resolve("policy.yaml").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            receiver.close();
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
                Files.delete(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    TernConfig tern;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Test
    void startsTheEndpointsOfThePolicyAndExportsTheirMetrics() throws Exception {
        String prefix = "W" + UUID.randomUUID();
        Set<String> wanted = new HashSet<>();
        try (var producer = new KafkaProducer<String, byte[]>(KafkaClients.producer(tern.kafka().bootstrapServers(),
                KafkaClientProperties.none(), 1 << 20, "webhook-service-it"))) {
            Outcome[] outcomes = {Outcome.DELIVERED, Outcome.DEFERRED, Outcome.BOUNCED};
            for (int i = 0; i < 9; i++) {
                var e = new DeliveryEvent(prefix + "-" + i, "r@example.org", "s@example.com", "example.org", "mx", null,
                        null, null, 250, "2.0.0 ok", 1, 5, outcomes[i % 3], System.currentTimeMillis());
                producer.send(e.toRecord(Topics.EVENTS)).get();
                if (e.outcome() != Outcome.DEFERRED) {
                    wanted.add(e.messageId());
                }
            }
        }

        receiver.await("the delivered and bounced events", Duration.ofSeconds(60),
                () -> receiver.takenIds().containsAll(wanted));
        assertThat(receiver.takenIds()).filteredOn(id -> id.startsWith(prefix)).containsExactlyInAnyOrderElementsOf(wanted);
        assertThat(receiver.badSignatures()).isZero();

        String exported = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics.toURI()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(exported).containsPattern("tern_bounce_webhook_posts_total\\{endpoint=\"" + NAME + "\",result=\"ok\"} [1-9]")
                .containsPattern("tern_bounce_webhook_events_total\\{endpoint=\"" + NAME + "\"} [1-9]")
                .contains("tern_bounce_webhook_lag_records{endpoint=\"" + NAME + "\"}")
                .doesNotContain(SECRET);
    }
}
