package dev.tern.bounce.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.bounce.consume.RecordHandler.Step;
import dev.tern.bounce.metrics.BounceMetrics;
import dev.tern.bounce.publish.EventPublisher;
import dev.tern.bounce.support.Messages;
import dev.tern.bounce.suppression.SuppressionWriter;
import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.common.policy.Feedback;
import dev.tern.common.queue.Provenance;
import dev.tern.common.queue.QueuedEnvelope;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.Schedule;
import dev.tern.common.queue.Topics;
import dev.tern.common.suppression.InMemorySuppressionList;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class FeedbackHandlerTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final String ID = "01JEAXK3Q5ZV8M2R7T9W4Y6B1C";
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemorySuppressionList suppression = new InMemorySuppressionList(clock);
    private final BounceMetrics metrics = new BounceMetrics(registry);
    private final FeedbackHandler handler = new FeedbackHandler(() -> new Feedback(true, "bounce.example.org", "bounce"),
            dev.tern.common.classify.BounceClassifier::defaults,
            new EventPublisher(producer), new SuppressionWriter(suppression, metrics, clock), Duration.ofDays(30),
            Duration.ofDays(365), metrics, clock);

    private double count(String type) {
        return registry.find("tern.bounce.feedback").tags("type", type).counter().count();
    }

    private static QueuedMessage report(String to, byte[] body) {
        return new QueuedMessage("REPORT1", new QueuedEnvelope("", List.of(new QueuedRecipient(to, Set.of(), null, null,
                null)), null, null, null, false), new Provenance("192.0.2.9", "mx.example.net", null, null),
                Schedule.firstAttempt(NOW), body);
    }

    private static CompletableFuture<?> durable(Step step) {
        return ((Step.Done) step).durable().toCompletableFuture();
    }

    @Test
    void aComplaintSuppressesForAYearAndIsDoneWhenItsEventIsAcknowledged() {
        var m = report("bounce+" + ID + "+user=example.com@bounce.example.org", Samples.crlf("rfc5965-b2-full.eml"));

        var done = durable(handler.handle(Messages.record(Topics.FEEDBACK, 0, 3, m, NOW)));

        assertThat(done).isNotDone();
        producer.completeNext();
        assertThat(done).isCompleted();
        assertThat(suppression.lookup("user@example.com").toCompletableFuture().join()).get().satisfies(e -> {
            assertThat(e.until()).isEqualTo(NOW.plus(Duration.ofDays(365)));
            assertThat(e.reason()).contains("complaint").contains("abuse");
        });
        var record = producer.history().get(0);
        assertThat(record.topic()).isEqualTo(Topics.EVENTS);
        assertThat(record.key()).isEqualTo(ID);
        DeliveryEvent event = DeliveryEvent.fromJson(record.value());
        assertThat(event.outcome()).isEqualTo(Outcome.COMPLAINED);
        assertThat(event.transport()).isEqualTo("feedback");
        assertThat(event.recipient()).isEqualTo("user@example.com");
        assertThat(event.destination()).isEqualTo("example.com");
        assertThat(count("complaint")).isEqualTo(1);
    }

    @Test
    void aHardBouncingDsnIsABouncedEventAndASuppression() {
        var m = report("bounce+" + ID + "+nobody=example.net@bounce.example.org", Samples.bytes("postfix-user-unknown.eml"));

        var done = durable(handler.handle(Messages.record(Topics.FEEDBACK, 0, 4, m, NOW)));
        producer.completeNext();

        assertThat(done).isCompleted();
        assertThat(suppression.lookup("nobody@example.net").toCompletableFuture().join()).get()
                .satisfies(e -> assertThat(e.until()).isEqualTo(NOW.plus(Duration.ofDays(30))));
        DeliveryEvent event = DeliveryEvent.fromJson(producer.history().get(0).value());
        assertThat(event.outcome()).isEqualTo(Outcome.BOUNCED);
        assertThat(event.replyCode()).isEqualTo(550);
        assertThat(event.replyText()).startsWith("5.1.1 ");
        assertThat(count("dsn-failed")).isEqualTo(1);
    }

    @Test
    void aDelayedDsnIsOnlyAnEvent() {
        var m = report("bounce+" + ID + "@bounce.example.org", Samples.bytes("rfc3464-b2-multi.eml"));

        durable(handler.handle(Messages.record(Topics.FEEDBACK, 0, 5, m, NOW)));

        assertThat(producer.history()).extracting(r -> DeliveryEvent.fromJson(r.value()).outcome())
                .containsExactly(Outcome.BOUNCED, Outcome.DEFERRED, Outcome.BOUNCED);
        assertThat(count("dsn-delayed")).isEqualTo(1);
        assertThat(count("dsn-failed")).isEqualTo(2);
        assertThat(suppression.lookup("johnh@hpnjld.njd.hp.com").toCompletableFuture().join()).isEmpty();
    }

    @Test
    void theRecordIsHeldWhenItsEventIsNotWritten() {
        var m = report("bounce+" + ID + "+nobody=example.net@bounce.example.org", Samples.bytes("postfix-user-unknown.eml"));

        var done = durable(handler.handle(Messages.record(Topics.FEEDBACK, 0, 6, m, NOW)));
        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("no broker"));

        assertThat(done).isCompletedExceptionally();
        assertThat(registry.find("tern.bounce.errors").tags("stage", "event").counter().count()).isEqualTo(1);
    }

    @Test
    void unparsableMailAndGarbageRecordsAreCountedAndSkipped() {
        var m = report("fbl@bounce.example.org", "Subject: hi\r\n\r\nnot a report\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(durable(handler.handle(Messages.record(Topics.FEEDBACK, 0, 7, m, NOW)))).isCompleted();
        assertThat(durable(handler.handle(Messages.garbage(Topics.FEEDBACK, 0, 8)))).isCompleted();
        assertThat(durable(handler.handle(Messages.record(Topics.FEEDBACK, 0, 9,
                report("fbl@bounce.example.org", new byte[] {(byte) 0xff, 0, '\n', '\n', '-'}), NOW)))).isCompleted();

        assertThat(count("unparsable")).isEqualTo(2);
        assertThat(registry.find("tern.bounce.malformed.records").tags("source", "feedback").counter().count())
                .isEqualTo(1);
        assertThat(producer.history()).isEmpty();
    }
}
