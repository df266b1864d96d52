package dev.tern.bounce.delay;

import static dev.tern.bounce.support.Messages.message;
import static dev.tern.bounce.support.Messages.recipient;
import static dev.tern.bounce.support.Messages.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.MutableClock;
import dev.tern.bounce.consume.RecordHandler.Step;
import dev.tern.bounce.dsn.NoticeBuilder;
import dev.tern.bounce.metrics.BounceMetrics;
import dev.tern.bounce.publish.NoticePublisher;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.local.testkit.MutableClock;
import dev.tern.smtp.dsn.Notify;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class DelayHandlerTest {

    private static final Instant RECEIVED = Instant.parse("2026-03-01T00:00:00Z");
    private static final String TIER = "tern.retry.6h";

    private final MutableClock clock = new MutableClock(RECEIVED.plus(Duration.ofHours(5)));
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final InMemoryNotifiedMessages notified = new InMemoryNotifiedMessages(clock);
    private final DelayHandler handler = new DelayHandler(new NoticeBuilder("mta.test", 1 << 20, clock),
            new NoticePublisher(producer), notified, () -> Duration.ofHours(4), () -> Duration.ofDays(5),
            new BounceMetrics(new SimpleMeterRegistry()), clock);

    private QueuedMessage deferred(String id, Set<Notify> notify, Instant notBefore) {
        return message(id, "a@o.test", List.of(recipient("slow@r.test", notify, "421 4.7.0 later")), RECEIVED,
                notBefore, null, id);
    }

    private Step handle(QueuedMessage m) {
        Step step = handler.handle(record(TIER, 0, 1, m, clock.instant()));
        if (step instanceof Step.Done done) {
            done.durable().toCompletableFuture().join();
        }
        return step;
    }

    @Test
    void sendsOneDelayedNoticeOnceTheMessageIsOlderThanTheThreshold() {
        var m = deferred("D1", Set.of(), clock.instant().plus(Duration.ofHours(6)));

        handle(m);

        assertThat(producer.history()).hasSize(1);
        String dsn = new String(producer.history().get(0).value(), StandardCharsets.UTF_8);
        assertThat(dsn).contains("Action: delayed").contains("Status: 4.7.0")
                .contains("Will-Retry-Until: Fri, 6 Mar 2026 00:00:00 +0000");
    }

    @Test
    void sendsNoSecondNoticeForTheSameMessage() {
        handle(deferred("D2", Set.of(), clock.instant().plus(Duration.ofHours(1))));
        clock.advance(Duration.ofHours(2));
        handle(deferred("D2", Set.of(), clock.instant().plus(Duration.ofHours(6))));

        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void twoRecordsOfOneMessageInOnePollSendOneNotice() {
        var slowProducer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        var h = new DelayHandler(new NoticeBuilder("mta.test", 1 << 20, clock), new NoticePublisher(slowProducer),
                notified, () -> Duration.ofHours(4), () -> Duration.ofDays(5),
                new BounceMetrics(new SimpleMeterRegistry()), clock);
        var m = deferred("D10", Set.of(), clock.instant().plus(Duration.ofHours(1)));

        var first = (Step.Done) h.handle(record(TIER, 0, 1, m, clock.instant()));
        var second = (Step.Done) h.handle(record(TIER, 0, 2, m, clock.instant()));
        slowProducer.completeNext();

        first.durable().toCompletableFuture().join();
        second.durable().toCompletableFuture().join();
        assertThat(slowProducer.history()).hasSize(1);
        assertThat(notified.contains("D10").toCompletableFuture().join()).isTrue();
    }

    @Test
    void waitsUntilTheThresholdWhenTheMessageWillStillBeQueuedThen() {
        clock.advance(Duration.ofHours(-3));
        var m = deferred("D3", Set.of(), clock.instant().plus(Duration.ofHours(6)));

        Step step = handle(m);

        assertThat(step).isEqualTo(new Step.WaitUntil(RECEIVED.plus(Duration.ofHours(4))));
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void skipsAMessageThatIsRetriedBeforeTheThreshold() {
        clock.advance(Duration.ofHours(-4));
        assertThat(handle(deferred("D4", Set.of(), clock.instant().plus(Duration.ofMinutes(30)))))
                .isInstanceOf(Step.Done.class);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void skipsAStaleRecordWhoseNextAttemptHasPassed() {
        handle(deferred("D5", Set.of(), clock.instant().minus(Duration.ofMinutes(1))));

        assertThat(producer.history()).isEmpty();
    }

    @Test
    void honoursNotifyWithoutDelayAndTheNullSender() {
        Instant later = clock.instant().plus(Duration.ofHours(1));
        handle(deferred("D6", Set.of(Notify.FAILURE), later));
        handle(deferred("D7", Set.of(Notify.NEVER), later));
        handle(message("D8", "", List.of(recipient("x@r.test", Set.of(), "421 4.7.0 later")), RECEIVED, later,
                null, "d8"));

        assertThat(producer.history()).isEmpty();
    }

    @Test
    void sendsNoDelayNoticeWhenTheThresholdIsPastExpiry() {
        var lateHandler = new DelayHandler(new NoticeBuilder("mta.test", 1 << 20, clock),
                new NoticePublisher(producer), notified, () -> Duration.ofDays(6), () -> Duration.ofDays(5),
                new BounceMetrics(new SimpleMeterRegistry()), clock);
        clock.advance(Duration.ofDays(7));

        lateHandler.handle(record(TIER, 0, 1, deferred("D9", Set.of(), clock.instant().plusSeconds(60)), clock.instant()));

        assertThat(producer.history()).isEmpty();
    }
}
