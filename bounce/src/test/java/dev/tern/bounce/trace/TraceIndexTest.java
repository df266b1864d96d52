package dev.tern.bounce.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.common.event.AcceptedEvent;
import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceIndexTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final TraceIndex index = new TraceIndex(new InMemoryTraceStore(clock), () -> Duration.ofDays(7),
            () -> List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30)), clock);

    private static AcceptedEvent accepted(String id, String messageId, long at, String... recipients) {
        return new AcceptedEvent(null, id, messageId, "alice@origin.test", List.of(recipients), "192.0.2.7",
                "client.test", "ingress-0", "smtp", 1234, null, at);
    }

    private static byte[] attempt(String id, String rcpt, int n, Outcome outcome, int code, long at) {
        return new DeliveryEvent(id, rcpt, "alice@origin.test", "remote.test", "mx", "mx1.remote.test",
                "192.0.2.25", null, code, code + " reply " + n, n, 40, outcome, at).toJson();
    }

    private List<ObjectNode> byId(String id) {
        return index.byId(id).toCompletableFuture().join();
    }

    @Test
    void aDeliveredMessageHasItsAcceptedRecordItsAttemptAndStateDelivered() {
        long t = T0.toEpochMilli();
        index.accepted(accepted("Q1", "<m1@origin.test>", t, "bob@remote.test")).toCompletableFuture().join();
        index.delivery(attempt("Q1", "bob@remote.test", 1, Outcome.DELIVERED, 250, t + 100)).toCompletableFuture().join();

        var found = byId("Q1");
        assertThat(found).hasSize(1);
        ObjectNode m = found.get(0);
        assertThat(m.path("id").asText()).isEqualTo("Q1");
        assertThat(m.path("state").asText()).isEqualTo("delivered");
        assertThat(m.path("accepted").path("messageId").asText()).isEqualTo("<m1@origin.test>");
        assertThat(m.path("accepted").path("clientIp").asText()).isEqualTo("192.0.2.7");
        assertThat(m.path("accepted").has("kind")).isFalse();
        assertThat(m.path("attempts")).hasSize(1);
        var a = m.path("attempts").get(0);
        assertThat(a.path("mxIp").asText()).isEqualTo("192.0.2.25");
        assertThat(a.path("replyCode").asInt()).isEqualTo(250);
        assertThat(a.path("latencyMs").asLong()).isEqualTo(40);
        assertThat(a.has("retryTier")).isFalse();
        assertThat(m.has("dsn")).isFalse();
    }

    @Test
    void deferredAttemptsNameTheirTierAndTheLatestOutcomeDecidesTheState() {
        long t = T0.toEpochMilli();
        index.accepted(accepted("Q2", null, t, "bob@remote.test", "carol@remote.test")).toCompletableFuture().join();
        index.delivery(attempt("Q2", "bob@remote.test", 1, Outcome.DEFERRED, 451, t + 10)).toCompletableFuture().join();
        index.delivery(attempt("Q2", "carol@remote.test", 1, Outcome.DELIVERED, 250, t + 11)).toCompletableFuture().join();
        assertThat(byId("Q2").get(0).path("state").asText()).isEqualTo("deferred");

        index.delivery(attempt("Q2", "bob@remote.test", 2, Outcome.DEFERRED, 451, t + 60_000)).toCompletableFuture().join();
        index.delivery(attempt("Q2", "bob@remote.test", 5, Outcome.DEFERRED, 451, t + 120_000)).toCompletableFuture().join();
        index.delivery(attempt("Q2", "bob@remote.test", 6, Outcome.DELIVERED, 250, t + 300_000)).toCompletableFuture().join();
        var m = byId("Q2").get(0);
        assertThat(m.path("state").asText()).isEqualTo("delivered");
        assertThat(m.path("attempts")).hasSize(5);
        assertThat(m.path("attempts").get(0).path("retryTier").asText()).isEqualTo("tern.retry.1m");
        assertThat(m.path("attempts").get(2).path("retryTier").asText()).isEqualTo("tern.retry.5m");
        assertThat(m.path("attempts").get(3).path("retryTier").asText()).as("past the last rung")
                .isEqualTo("tern.retry.30m");
    }

    @Test
    void aRepeatedRecordChangesNothing() {
        long t = T0.toEpochMilli();
        for (int i = 0; i < 2; i++) {
            index.accepted(accepted("Q3", "<m3@x>", t, "bob@remote.test")).toCompletableFuture().join();
            index.delivery(attempt("Q3", "bob@remote.test", 1, Outcome.BOUNCED, 550, t + 5)).toCompletableFuture().join();
            index.notice("Q3", "N3", "alice@origin.test", "failed", List.of("bob@remote.test")).toCompletableFuture().join();
        }
        var m = byId("Q3").get(0);
        assertThat(m.path("attempts")).hasSize(1);
        assertThat(m.path("notices")).hasSize(1);
        assertThat(index.byMessageId("<m3@x>").toCompletableFuture().join()).hasSize(1);
        assertThat(index.byRecipient("bob@remote.test", T0, T0.plusSeconds(1)).toCompletableFuture().join()).hasSize(1);
    }

    @Test
    void aBouncedMessageShowsItsFailureNoticeAsTheDsn() {
        long t = T0.toEpochMilli();
        index.accepted(accepted("Q4", null, t, "bob@remote.test")).toCompletableFuture().join();
        index.delivery(attempt("Q4", "bob@remote.test", 1, Outcome.DEFERRED, 451, t + 5)).toCompletableFuture().join();
        index.notice("Q4", "D4", "alice@origin.test", "delayed", List.of("bob@remote.test")).toCompletableFuture().join();
        index.delivery(attempt("Q4", "bob@remote.test", 2, Outcome.BOUNCED, 550, t + 9)).toCompletableFuture().join();
        index.notice("Q4", "F4", "alice@origin.test", "failed", List.of("bob@remote.test")).toCompletableFuture().join();

        var m = byId("Q4").get(0);
        assertThat(m.path("state").asText()).isEqualTo("bounced");
        assertThat(m.path("dsn").path("id").asText()).isEqualTo("F4");
        assertThat(m.path("dsn").path("action").asText()).isEqualTo("failed");
        assertThat(m.path("dsn").path("to").asText()).isEqualTo("alice@origin.test");
        assertThat(m.path("notices")).hasSize(2);
    }

    @Test
    void messageIdFindsEveryCopyWithOrWithoutBrackets() {
        long t = T0.toEpochMilli();
        index.accepted(accepted("A", "<same@x>", t, "a@remote.test")).toCompletableFuture().join();
        index.accepted(accepted("B", "<same@x>", t + 1, "b@remote.test")).toCompletableFuture().join();
        assertThat(index.byMessageId("same@x").toCompletableFuture().join()).extracting(n -> n.path("id").asText())
                .containsExactly("A", "B");
        assertThat(index.byMessageId("<other@x>").toCompletableFuture().join()).isEmpty();
    }

    @Test
    void recipientLookupIsCaseInsensitiveAndLimitedToTheWindow() {
        long t = T0.toEpochMilli();
        index.accepted(accepted("E", null, t, "Bob@Remote.test")).toCompletableFuture().join();
        index.accepted(accepted("L", null, t + 3_600_000, "bob@remote.test")).toCompletableFuture().join();
        // A delivery event alone (its accepted record lost) still finds its way to the recipient index.
        index.delivery(attempt("D", "BOB@remote.test", 1, Outcome.DELIVERED, 250, t + 7_200_000)).toCompletableFuture().join();

        assertThat(index.byRecipient("bob@REMOTE.test", T0, T0.plusSeconds(3 * 3600)).toCompletableFuture().join())
                .extracting(n -> n.path("id").asText()).containsExactly("E", "L", "D");
        assertThat(index.byRecipient("bob@remote.test", T0.plusSeconds(1800), T0.plusSeconds(5400))
                .toCompletableFuture().join()).extracting(n -> n.path("id").asText()).containsExactly("L");
        var lost = index.byId("D").toCompletableFuture().join().get(0);
        assertThat(lost.has("accepted")).isFalse();
        assertThat(lost.path("state").asText()).isEqualTo("delivered");
    }

    @Test
    void aRecipientKeepsItsNewestSightingsInTimeOrderWhateverOrderTheyCameIn() throws Exception {
        var store = new InMemoryTraceStore(clock);
        var idx = new TraceIndex(store, () -> Duration.ofDays(7), List::of, clock);
        long t = T0.toEpochMilli();
        for (int i = 0; i < TraceIndex.MAX_PER_KEY + 5; i++) {
            idx.accepted(accepted("Q" + i, null, t + 10L * i, "bob@remote.test")).toCompletableFuture().join();
        }
        idx.accepted(accepted("LATE", null, t + 10L * 500 + 5, "bob@remote.test")).toCompletableFuture().join();
        idx.accepted(accepted("Q7", null, t + 999_999, "bob@remote.test")).toCompletableFuture().join();

        String raw = store.getAll(List.of("r:bob@remote.test")).toCompletableFuture().join().get("r:bob@remote.test");
        var list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(raw);
        assertThat(list.size()).isEqualTo(TraceIndex.MAX_PER_KEY);
        assertThat(list.get(0).path("id").asText()).isEqualTo("Q6");
        assertThat(list.get(list.size() - 1).path("id").asText()).isEqualTo("Q" + (TraceIndex.MAX_PER_KEY + 4));
        long previous = 0;
        for (var s : list) {
            assertThat(s.path("t").asLong()).isGreaterThanOrEqualTo(previous);
            previous = s.path("t").asLong();
        }
        assertThat(list.findValuesAsText("id")).contains("LATE", "Q7").doesNotHaveDuplicates();
    }

    @Test
    void tracesAreForgottenAfterTheRetention() {
        index.accepted(accepted("OLD", "<old@x>", T0.toEpochMilli(), "bob@remote.test")).toCompletableFuture().join();
        clock.set(T0.plus(Duration.ofDays(7)).plusSeconds(1));
        assertThat(byId("OLD")).isEmpty();
        assertThat(index.byMessageId("<old@x>").toCompletableFuture().join()).isEmpty();
    }

    @Test
    void aMessageWithoutAttemptsIsQueued() {
        index.accepted(accepted("N", null, T0.toEpochMilli(), "bob@remote.test")).toCompletableFuture().join();
        assertThat(byId("N").get(0).path("state").asText()).isEqualTo("queued");
        assertThat(byId("nope")).isEmpty();
    }

    @Test
    void expiredAndDroppedAreFinal() {
        long t = T0.toEpochMilli();
        index.accepted(accepted("X", null, t, "a@remote.test", "b@remote.test")).toCompletableFuture().join();
        index.delivery(attempt("X", "a@remote.test", 9, Outcome.EXPIRED, 451, t + 1)).toCompletableFuture().join();
        assertThat(byId("X").get(0).path("state").asText()).as("b has no attempt yet").isEqualTo("queued");
        index.delivery(attempt("X", "b@remote.test", 1, Outcome.DELIVERED, 250, t + 2)).toCompletableFuture().join();
        assertThat(byId("X").get(0).path("state").asText()).isEqualTo("expired");
        index.delivery(attempt("X", "b@remote.test", 1, Outcome.DROPPED, 550, t + 3)).toCompletableFuture().join();
        assertThat(byId("X").get(0).path("state").asText()).isEqualTo("bounced");
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
