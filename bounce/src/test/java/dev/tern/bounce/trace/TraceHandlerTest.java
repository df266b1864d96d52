package dev.tern.bounce.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.bounce.consume.RecordHandler.Step;
import dev.tern.bounce.metrics.BounceMetrics;
import dev.tern.common.event.AcceptedEvent;
import dev.tern.common.event.AdminAuditEvent;
import dev.tern.common.event.DeliveryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TraceHandlerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TraceIndex index = new TraceIndex(new InMemoryTraceStore(Clock.systemUTC()), () -> Duration.ofDays(7),
            () -> List.of(Duration.ofMinutes(1)), Clock.systemUTC());
    private final TraceHandler handler = new TraceHandler(index, new BounceMetrics(registry));

    private static ConsumerRecord<String, byte[]> record(String key, byte[] value) {
        return new ConsumerRecord<>("tern.events", 0, 0, key, value);
    }

    private double count(String name, String tag, String value) {
        var c = registry.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    private static void await(Step step) {
        assertThat(step).isInstanceOf(Step.Done.class);
        ((Step.Done) step).durable().toCompletableFuture().join();
    }

    @Test
    void indexesAcceptedAndDeliveryRecordsAndSkipsOtherKinds() {
        long now = System.currentTimeMillis();
        await(handler.handle(record("Q", new AcceptedEvent(null, "Q", null, "a@x", List.of("b@y"), "192.0.2.1", "h",
                "p", "smtp", 1, null, now).toJson())));
        await(handler.handle(record("Q", new DeliveryEvent("Q", "b@y", "a@x", "y", "mx", null, null, null, 250, "ok",
                1, 1, DeliveryEvent.Outcome.DELIVERED, now).toJson())));
        await(handler.handle(record("admin:tern-delivery", AdminAuditEvent.of("tern-delivery", "ops", "POST", "/admin/x",
                Map.of(), 200, "127.0.0.1", now).toJson())));
        await(handler.handle(record("Q", "{\"kind\":\"from-the-future\",\"id\":\"Q\"}".getBytes(StandardCharsets.UTF_8))));

        var m = index.byId("Q").toCompletableFuture().join();
        assertThat(m).singleElement().satisfies(n -> assertThat(n.path("state").asText()).isEqualTo("delivered"));
        assertThat(count("tern.bounce.trace.indexed", "kind", "accepted")).isEqualTo(1);
        assertThat(count("tern.bounce.trace.indexed", "kind", "delivery")).isEqualTo(1);
        assertThat(count("tern.bounce.malformed.records", "source", "events")).isZero();
    }

    @Test
    void aRecordThatDoesNotDecodeIsCountedAndSkipped() {
        await(handler.handle(record("Q", new byte[] {1, 2, 3})));
        await(handler.handle(record("Q", "{\"recipient\":\"no queue id\"}".getBytes(StandardCharsets.UTF_8))));
        assertThat(count("tern.bounce.malformed.records", "source", "events")).isEqualTo(2);
    }
}
