package dev.tern.delivery.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.classify.BounceClassifier;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.common.queue.Provenance;
import dev.tern.common.queue.QueuedEnvelope;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.Schedule;
import dev.tern.delivery.attempt.AttemptContext;
import dev.tern.delivery.attempt.RecipientResult;
import dev.tern.smtp.reply.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomePlannerTest {

    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    private static final RetryLadder LADDER = new RetryLadder(List.of(Duration.ofMinutes(1), Duration.ofMinutes(5)));
    private static final Duration LIFETIME = Duration.ofDays(5);

    private static final BounceClassifier RULES = BounceClassifier.defaults();

    private static QueuedMessage message(String sender, int attempt, Instant received, String... rcpts) {
        return new QueuedMessage("q1", QueuedEnvelope.of(sender,
                java.util.Arrays.stream(rcpts).map(QueuedRecipient::of).toList()),
                new Provenance("127.0.0.1", "client", null, null), new Schedule(attempt, null, received),
                "Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static RecipientResult result(String rcpt, Reply reply, boolean delivered) {
        var where = new AttemptContext("example.com", "mx", "mx", "mx1.example.com", "192.0.2.1", null);
        return delivered ? RecipientResult.delivered(QueuedRecipient.of(rcpt), reply, where, 42)
                : RecipientResult.failed(QueuedRecipient.of(rcpt), reply, where, 42);
    }

    @Test
    void deliveredRecipientsOnlyProduceEvents() {
        var m = message("a@x.org", 0, NOW, "b@example.com");
        var d = OutcomePlanner.plan(m, List.of(result("b@example.com", Reply.of(250, "2.0.0", "ok"), true)), LADDER,
                LIFETIME, RULES, NOW);
        assertThat(d.retry()).isNull();
        assertThat(d.failed()).isNull();
        assertThat(d.events()).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.mxHost()).isEqualTo("mx1.example.com");
            assertThat(e.latencyMs()).isEqualTo(42);
            assertThat(e.category()).as("a delivery has no failure category").isNull();
        });
    }

    @Test
    void deferredRecipientsGoToTheNextTierWithTheirLastReply() {
        var m = message("a@x.org", 1, NOW.minusSeconds(120), "b@example.com", "c@example.com");
        var d = OutcomePlanner.plan(m, List.of(
                result("b@example.com", Reply.of(250, "2.0.0", "ok"), true),
                result("c@example.com", Reply.of(451, "4.3.0", "try later"), false)), LADDER, LIFETIME, RULES, NOW);
        assertThat(d.retryTopic()).isEqualTo("tern.retry.5m");
        assertThat(d.retry().recipients()).extracting(QueuedRecipient::address).containsExactly("c@example.com");
        assertThat(d.retry().recipients().get(0).lastReply().toString()).isEqualTo("451 4.3.0 try later");
        assertThat(d.retry().schedule().attempt()).isEqualTo(2);
        assertThat(d.retry().schedule().notBefore()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(d.failed()).isNull();
    }

    @Test
    void permanentFailuresGoToFailedWithTheRemoteReply() {
        var m = message("a@x.org", 0, NOW, "b@example.com");
        var d = OutcomePlanner.plan(m, List.of(result("b@example.com", Reply.of(550, "5.1.1", "no such user"), false)),
                LADDER, LIFETIME, RULES, NOW);
        assertThat(d.failed().recipients()).singleElement().satisfies(r -> {
            assertThat(r.lastReply().toString()).isEqualTo("550 5.1.1 no such user");
            assertThat(r.lastMx()).isEqualTo("mx1.example.com");
        });
        assertThat(d.events().get(0).outcome()).isEqualTo(Outcome.BOUNCED);
        assertThat(d.events().get(0).category()).isEqualTo("invalid-recipient");
    }

    @Test
    void deferralsAndExpiriesCarryTheCategoryOfTheirReply() {
        var m = message("a@x.org", 1, NOW.minusSeconds(120), "b@example.com");
        var deferred = OutcomePlanner.plan(m, List.of(result("b@example.com", Reply.of(452, "4.2.2", "Mailbox full"),
                false)), LADDER, LIFETIME, RULES, NOW);
        assertThat(deferred.events().get(0).outcome()).isEqualTo(Outcome.DEFERRED);
        assertThat(deferred.events().get(0).category()).isEqualTo("mailbox-full");
        var old = message("a@x.org", 7, NOW.minus(LIFETIME), "b@example.com");
        var expired = OutcomePlanner.plan(old, List.of(result("b@example.com", Reply.of(452, "4.2.2", "Mailbox full"),
                false)), LADDER, LIFETIME, RULES, NOW);
        assertThat(expired.events().get(0).outcome()).isEqualTo(Outcome.EXPIRED);
        assertThat(expired.events().get(0).category()).as("by the last error").isEqualTo("mailbox-full");
    }

    @Test
    void operatorRulesDecideTheCategory() {
        var rules = new BounceClassifier(List.of(dev.tern.common.classify.BounceRule.of("bounce-rules[0]", "5.1.1",
                dev.tern.common.classify.BounceCategory.POLICY, null)));
        var m = message("a@x.org", 0, NOW, "b@example.com");
        var d = OutcomePlanner.plan(m, List.of(result("b@example.com", Reply.of(550, "5.1.1", "no such user"), false)),
                LADDER, LIFETIME, rules, NOW);
        assertThat(d.events().get(0).category()).isEqualTo("policy");
    }

    @Test
    void transientFailurePastTheQueueLifetimeExpiresWith447() {
        var m = message("a@x.org", 7, NOW.minus(LIFETIME), "b@example.com");
        var d = OutcomePlanner.plan(m, List.of(result("b@example.com", Reply.of(451, "4.3.0", "busy"), false)), LADDER,
                LIFETIME, RULES, NOW);
        assertThat(d.retry()).isNull();
        assertThat(d.failed().recipients().get(0).lastReply().toString()).startsWith("451 4.4.7")
                .contains("451 4.3.0 busy");
        assertThat(d.events().get(0).outcome()).isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void nullSenderFailuresAreDroppedNeverBounced() {
        var m = message("", 0, NOW, "b@example.com");
        var d = OutcomePlanner.plan(m, List.of(result("b@example.com", Reply.of(550, "5.1.1", "no such user"), false)),
                LADDER, LIFETIME, RULES, NOW);
        assertThat(d.failed()).isNull();
        assertThat(d.events().get(0).outcome()).isEqualTo(Outcome.DROPPED);
    }

    @Test
    void suspendedRecipientsWaitWithoutUsingAnAttempt() {
        var m = message("a@x.org", 1, NOW.minusSeconds(60), "b@example.com");
        var suspended = RecipientResult.notAttempted(QueuedRecipient.of("b@example.com"),
                Reply.of(451, "4.4.5", "suspended"), new AttemptContext("example.com", "mx", "mx", null, null, null), 0);
        var d = OutcomePlanner.plan(m, List.of(suspended), LADDER, LIFETIME, RULES, NOW);
        assertThat(d.retry().schedule().attempt()).isEqualTo(1);
        assertThat(d.retryTopic()).isEqualTo("tern.retry.1m");
    }

    @Test
    void purgedRecipientsAreNeitherRetriedNorBouncedAndUseNoAttempt() {
        var m = message("a@x.org", 1, NOW.minusSeconds(120), "b@example.com", "c@example.com");
        var d = OutcomePlanner.plan(m, List.of(
                RecipientResult.purged(QueuedRecipient.of("b@example.com"), AttemptContext.NONE),
                RecipientResult.notAttempted(QueuedRecipient.of("c@example.com"), Reply.of(451, "4.4.5", "held"),
                        AttemptContext.NONE, 0)), LADDER, LIFETIME, RULES, NOW);
        assertThat(d.failed()).isNull();
        assertThat(d.retry().recipients()).extracting(QueuedRecipient::address).containsExactly("c@example.com");
        assertThat(d.events()).extracting(e -> e.outcome()).containsExactly(Outcome.PURGED, Outcome.DEFERRED);
        assertThat(d.events()).allSatisfy(e -> assertThat(e.attempt()).isEqualTo(1));
        assertThat(d.events().get(0).replyText()).startsWith("5.7.1");

        var purgedAlone = OutcomePlanner.plan(message("", 1, NOW, "b@example.com"), List.of(
                RecipientResult.purged(QueuedRecipient.of("b@example.com"), AttemptContext.NONE)), LADDER, LIFETIME, RULES, NOW);
        assertThat(purgedAlone.retry()).isNull();
        assertThat(purgedAlone.failed()).isNull();
        assertThat(purgedAlone.events()).extracting(e -> e.outcome()).containsExactly(Outcome.PURGED);
    }
}
