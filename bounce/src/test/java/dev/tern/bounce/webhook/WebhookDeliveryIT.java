package dev.tern.bounce.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.common.event.AdminAuditEvent;
import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.policy.Password;
import dev.tern.common.policy.Webhook;
import dev.tern.local.runtime.EmbeddedCluster;
import dev.tern.local.runtime.kafka.TopicSpec;
import dev.tern.local.testkit.TernClusterExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Delivery webhooks end to end: delivery events produced to a real Kafka, read by the webhook
 * consumers, POSTed to real HTTP receivers that check every signature. One endpoint fails (500s
 * and a hang past the timeout) until told to recover; every event still arrives, and the healthy
 * endpoint is never held back by it.
 */
@ExtendWith(TernClusterExtension.class)
class WebhookDeliveryIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SECRET = "whsec-it-" + UUID.randomUUID();

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private EmbeddedCluster cluster;
    private String topic;
    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void topic(EmbeddedCluster cluster) {
        this.cluster = cluster;
        topic = "tern.events.webhook-it-" + UUID.randomUUID();
        cluster.createTopics(List.of(TopicSpec.of(topic, 2)));
        producer = new KafkaProducer<>(KafkaClients.producer(cluster.kafkaBootstrapServers(), KafkaClientProperties.none(),
                1 << 20, "webhook-it"));
        closing.add(producer);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private Webhook webhook(String name, URI url, String... outcomes) {
        return new Webhook(name + "-" + UUID.randomUUID().toString().substring(0, 8), url, new Password(SECRET),
                Path.of("secret"), Set.of(outcomes), 5, Duration.ofMillis(200), Duration.ofSeconds(1),
                Duration.ofMillis(100), Duration.ofMillis(400), false);
    }

    private WebhookEndpoints endpoints() {
        var endpoints = new WebhookEndpoints(topic, w -> {
            var props = KafkaClients.consumer(cluster.kafkaBootstrapServers(), KafkaClientProperties.none(), 1 << 20,
                    WebhookEndpoints.groupId(w.name()), "it-" + w.name());
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(w.batchSize()));
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, w.startAtEnd() ? "latest" : "earliest");
            return new KafkaConsumer<>(props);
        }, registry, Clock.systemUTC());
        closing.add(endpoints);
        return endpoints;
    }

    private WebhookReceiver receiver(boolean failing) throws Exception {
        var receiver = new WebhookReceiver(SECRET, failing);
        closing.add(receiver);
        return receiver;
    }

    /** Produces one delivery event per outcome in turn; returns the ids by outcome order. */
    private List<DeliveryEvent> produce(String prefix, int count) throws Exception {
        Outcome[] outcomes = {Outcome.DELIVERED, Outcome.DEFERRED, Outcome.BOUNCED, Outcome.COMPLAINED};
        var events = new ArrayList<DeliveryEvent>();
        for (int i = 0; i < count; i++) {
            var e = new DeliveryEvent(prefix + "-" + i, "rcpt" + i + "@example.org", "alice@example.com", "example.org",
                    "mx", "mx.example.org", "192.0.2.1", null, 250, "2.0.0 ok", 1, 10, outcomes[i % outcomes.length],
                    System.currentTimeMillis());
            producer.send(e.toRecord(topic)).get();
            events.add(e);
        }
        return events;
    }

    private void produceRaw(String key, String json) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, json.getBytes(StandardCharsets.UTF_8))).get();
    }

    private double count(String name, String endpoint, String result) {
        var search = registry.find(name).tag("endpoint", endpoint);
        var c = (result == null ? search : search.tag("result", result)).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void everyEventArrivesSignedAfterTheEndpointFailsHangsAndRecoversWhileAnotherEndpointCarriesOn() throws Exception {
        var flakyReceiver = receiver(true);
        var steadyReceiver = receiver(false);
        Webhook flaky = webhook("flaky", flakyReceiver.url());
        Webhook steady = webhook("bounces", steadyReceiver.url(), "BOUNCED");
        var endpoints = endpoints();
        endpoints.apply(List.of(flaky, steady));

        String prefix = "Q" + UUID.randomUUID();
        List<DeliveryEvent> events = produce(prefix, 23);
        produceRaw("admin:tern-delivery", new String(AdminAuditEvent.of("tern-delivery", "ops", "POST", "/admin/x",
                java.util.Map.of(), 200, "::1", 1L).toJson(), StandardCharsets.UTF_8));
        produceRaw(prefix + "-accepted", "{\"kind\":\"accepted\",\"messageId\":\"" + prefix + "-accepted\"}");
        produceRaw(prefix + "-opened", "{\"messageId\":\"" + prefix + "-opened\",\"recipient\":\"x@example.org\","
                + "\"outcome\":\"OPENED\"}");
        produceRaw(prefix + "-junk", "\u0001 not json");
        Set<String> all = new HashSet<>(events.stream().map(DeliveryEvent::messageId).toList());
        all.add(prefix + "-opened");
        Set<String> bounced = new HashSet<>(events.stream().filter(e -> e.outcome() == Outcome.BOUNCED)
                .map(DeliveryEvent::messageId).toList());

        steadyReceiver.await("every bounce at the healthy endpoint", WAIT,
                () -> steadyReceiver.takenIds().containsAll(bounced));
        flakyReceiver.await("a 500, a hang past the timeout and another 500", WAIT,
                () -> flakyReceiver.requests().size() >= 3);
        assertThat(flakyReceiver.takenIds()).as("nothing taken while failing").isEmpty();
        assertThat(steadyReceiver.takenIds()).as("only what its filter names").isEqualTo(bounced);

        flakyReceiver.recover();
        flakyReceiver.await("every event after recovery", WAIT, () -> flakyReceiver.takenIds().containsAll(all));

        assertThat(flakyReceiver.takenIds()).as("no other event kinds, no junk").isEqualTo(all);
        assertThat(flakyReceiver.badSignatures()).isZero();
        assertThat(steadyReceiver.badSignatures()).isZero();
        for (JsonNode e : flakyReceiver.taken()) {
            assertThat(e.has("kind")).isFalse();
        }
        JsonNode first = flakyReceiver.taken().stream()
                .filter(e -> e.path("messageId").asText().equals(prefix + "-0")).findFirst().orElseThrow();
        assertThat(first.path("outcome").asText()).isEqualTo("DELIVERED");
        assertThat(first.path("mxHost").asText()).as("the event as on tern.events").isEqualTo("mx.example.org");

        var requests = flakyReceiver.requests();
        var firstTaken = requests.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
        assertThat(requests.stream().filter(r -> r.status() != 200).map(WebhookReceiver.Request::deliveryId))
                .as("a retried batch keeps its delivery id").contains(firstTaken.deliveryId());

        // The loops count a POST after its answer, which may come after the receiver recorded it:
        // stopping them (joining their threads) settles the counters.
        endpoints.close();
        assertThat(count("tern.bounce.webhook.posts", flaky.name(), "http_error")).isGreaterThanOrEqualTo(2);
        assertThat(count("tern.bounce.webhook.posts", flaky.name(), "timeout")).isGreaterThanOrEqualTo(1);
        assertThat(count("tern.bounce.webhook.posts", flaky.name(), "ok")).isGreaterThanOrEqualTo(1);
        assertThat(count("tern.bounce.webhook.posts", steady.name(), "http_error")).isZero();
        assertThat(count("tern.bounce.webhook.events", flaky.name(), null)).isPositive()
                .isLessThanOrEqualTo(flakyReceiver.taken().size());
        assertThat(count("tern.bounce.webhook.events", steady.name(), null)).isPositive()
                .isLessThanOrEqualTo(steadyReceiver.taken().size());
        assertThat(registry.find("tern.bounce.webhook.lag.records").tag("endpoint", flaky.name()).gauge()).isNotNull();
    }

    @Test
    void aRestartedEndpointResumesAfterItsCommittedOffsetsAndAReloadStopsARemovedOne() throws Exception {
        var receiver = receiver(false);
        Webhook hook = webhook("restart", receiver.url());
        var endpoints = endpoints();
        endpoints.apply(List.of(hook));
        String before = "B" + UUID.randomUUID();
        Set<String> first = new HashSet<>(produce(before, 7).stream().map(DeliveryEvent::messageId).toList());
        receiver.await("the first events", WAIT, () -> receiver.takenIds().containsAll(first));

        endpoints.apply(List.of());
        assertThat(endpoints.names()).as("removed from the policy: stopped").isEmpty();
        int takenBefore = receiver.taken().size();
        String after = "A" + UUID.randomUUID();
        Set<String> second = new HashSet<>(produce(after, 4).stream().map(DeliveryEvent::messageId).toList());
        endpoints.apply(List.of(hook));
        receiver.await("the events produced while it was stopped", WAIT,
                () -> receiver.takenIds().containsAll(second));

        var resent = receiver.taken().subList(takenBefore, receiver.taken().size()).stream()
                .map(e -> e.path("messageId").asText()).filter(first::contains).toList();
        assertThat(resent).as("committed events are not sent again").isEmpty();
        assertThat(endpoints.names()).containsExactly(hook.name());
    }
}
