package dev.tern.bounce.failure;

import static dev.tern.bounce.support.Messages.failedRecipient;
import static dev.tern.bounce.support.Messages.message;
import static dev.tern.bounce.support.Messages.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.bounce.consume.RecordHandler.Step;
import dev.tern.bounce.dsn.NoticeBuilder;
import dev.tern.bounce.metrics.BounceMetrics;
import dev.tern.bounce.publish.NoticePublisher;
import dev.tern.bounce.support.Messages;
import dev.tern.common.classify.BounceAction;
import dev.tern.common.classify.BounceCategory;
import dev.tern.common.classify.BounceClassifier;
import dev.tern.common.classify.BounceRule;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Topics;
import dev.tern.common.suppression.InMemorySuppressionList;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class FailureHandlerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemorySuppressionList suppression = new InMemorySuppressionList(clock);
    private final FailureHandler handler = new FailureHandler(new NoticeBuilder("mta.test", 1 << 20, clock),
            new NoticePublisher(producer), suppression, Duration.ofDays(30), BounceClassifier::defaults,
            new BounceMetrics(registry), clock);

    private double count(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? -1 : c.count();
    }

    private static CompletableFuture<?> durable(Step step) {
        return ((Step.Done) step).durable().toCompletableFuture();
    }

    @Test
    void isDoneOnlyWhenKafkaAcknowledgesTheNotice() {
        var m = message("F1", "a@o.test", List.of(failedRecipient("b@r.test", "554 5.7.1 rejected", "mx.r.test")),
                NOW, null, null, "f1");

        var done = durable(handler.handle(record(Topics.FAILED, 0, 7, m, NOW)));

        assertThat(producer.history()).hasSize(1);
        assertThat(done).isNotDone();
        producer.completeNext();
        assertThat(done).isCompleted();
        var sent = RecordCodec.fromHeaders(producer.history().get(0).headers(), producer.history().get(0).value());
        assertThat(producer.history().get(0).topic()).isEqualTo(Topics.INBOUND);
        assertThat(sent.sender()).isEmpty();
        assertThat(sent.recipients().get(0).address()).isEqualTo("a@o.test");
        assertThat(count("tern.bounce.notices", "kind", "failed")).isEqualTo(1);
    }

    @Test
    void failsTheRecordWhenTheNoticeIsNotPublished() {
        var m = message("F2", "a@o.test", List.of(failedRecipient("b@r.test", "554 5.7.1 no", null)), NOW, null,
                null, "f2");

        var done = durable(handler.handle(record(Topics.FAILED, 0, 8, m, NOW)));
        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("no broker"));

        assertThat(done).isCompletedExceptionally();
        assertThat(count("tern.bounce.errors", "stage", "publish")).isEqualTo(1);
        assertThat(count("tern.bounce.notices", "kind", "failed")).isZero();
    }

    @Test
    void republishesTheSameQueueIdWhenTheSameRecordIsReadAgain() {
        var m = message("F3", "a@o.test", List.of(failedRecipient("b@r.test", "554 5.7.1 no", null)), NOW, null,
                null, "f3");

        handler.handle(record(Topics.FAILED, 0, 9, m, NOW));
        handler.handle(record(Topics.FAILED, 0, 9, m, NOW));

        var keys = producer.history().stream().map(r -> r.key()).toList();
        assertThat(keys).hasSize(2);
        assertThat(keys.get(1)).isEqualTo(keys.get(0));
    }

    @Test
    void countsNullSenderFailuresAndPublishesNothing() {
        var m = message("F4", "", List.of(failedRecipient("b@r.test", "554 5.7.1 no", null)), NOW, null, null, "f4");

        var done = durable(handler.handle(record(Topics.FAILED, 0, 10, m, NOW)));

        assertThat(done).isCompleted();
        assertThat(producer.history()).isEmpty();
        assertThat(count("tern.bounce.null.sender")).isEqualTo(1);
    }

    @Test
    void skipsAndCountsARecordThatDoesNotDecode() {
        var done = durable(handler.handle(Messages.garbage(Topics.FAILED, 0, 11)));

        assertThat(done).isCompleted();
        assertThat(producer.history()).isEmpty();
        assertThat(count("tern.bounce.malformed.records", "source", "failed")).isEqualTo(1);
    }

    @Test
    void suppressesHardBouncedRecipientsOnly() {
        var m = message("F5", "a@o.test", List.of(
                failedRecipient("Unknown@R.test", "550 5.1.1 no such user", null),
                failedRecipient("nodomain@gone.test", "550 5.1.2 domain not found", null),
                failedRecipient("nullmx@nomail.test", "556 5.1.10 null MX", null),
                failedRecipient("policy@r.test", "554 5.7.1 spam", null),
                failedRecipient("full@r.test", "552 5.2.2 mailbox full", null),
                failedRecipient("expired@r.test", "451 4.4.7 expired", null)), NOW, null, null, "f5");

        handler.handle(record(Topics.FAILED, 0, 12, m, NOW));

        assertThat(suppression.isSuppressed("unknown@r.test").toCompletableFuture().join()).isTrue();
        assertThat(suppression.isSuppressed("nodomain@gone.test").toCompletableFuture().join()).isTrue();
        assertThat(suppression.isSuppressed("nullmx@nomail.test").toCompletableFuture().join()).isTrue();
        assertThat(suppression.isSuppressed("policy@r.test").toCompletableFuture().join()).isFalse();
        assertThat(suppression.isSuppressed("full@r.test").toCompletableFuture().join()).isFalse();
        assertThat(suppression.isSuppressed("expired@r.test").toCompletableFuture().join()).isFalse();
        assertThat(suppression.lookup("unknown@r.test").toCompletableFuture().join().orElseThrow().until())
                .isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(count("tern.bounce.suppressed")).isEqualTo(3);
    }

    @Test
    void theNoticeNamesEachRecipientsCategory() {
        var m = message("F6", "a@o.test", List.of(failedRecipient("full@r.test", "552 5.2.2 Mailbox full", "mx.r.test")),
                NOW, null, null, "f6");

        handler.handle(record(Topics.FAILED, 0, 13, m, NOW));

        String dsn = new String(RecordCodec.fromHeaders(producer.history().get(0).headers(),
                producer.history().get(0).value()).body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(dsn).contains("X-Tern-Category: mailbox-full").contains("Category: mailbox-full");
    }

    @Test
    void anOperatorRuleDecidesTheCategoryAndWhetherToSuppress() {
        var rules = new BounceClassifier(List.of(
                BounceRule.of("bounce-rules[0]", "5.2.2", BounceCategory.MAILBOX_FULL, BounceAction.SUPPRESS),
                BounceRule.of("bounce-rules[1]", "(?i)no such user", BounceCategory.OTHER, BounceAction.NONE)));
        var operated = new FailureHandler(new NoticeBuilder("mta.test", 1 << 20, clock), new NoticePublisher(producer),
                suppression, Duration.ofDays(30), () -> rules, new BounceMetrics(registry), clock);
        var m = message("F7", "a@o.test", List.of(failedRecipient("full@r.test", "552 5.2.2 Mailbox full", null),
                failedRecipient("unknown@r.test", "550 5.1.1 no such user", null)), NOW, null, null, "f7");

        operated.handle(record(Topics.FAILED, 0, 14, m, NOW));

        assertThat(suppression.isSuppressed("full@r.test").toCompletableFuture().join()).isTrue();
        assertThat(suppression.isSuppressed("unknown@r.test").toCompletableFuture().join())
                .as("the operator's rule says none").isFalse();
        String dsn = new String(RecordCodec.fromHeaders(producer.history().get(0).headers(),
                producer.history().get(0).value()).body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(dsn).contains("X-Tern-Category: other");
    }
}
