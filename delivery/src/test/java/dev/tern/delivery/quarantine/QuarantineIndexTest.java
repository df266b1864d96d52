package dev.tern.delivery.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.queue.Provenance;
import dev.tern.common.queue.QueuedEnvelope;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Schedule;
import dev.tern.common.queue.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class QuarantineIndexTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final QuarantineIndex index = new QuarantineIndex(Duration.ofDays(30), 3);

    static QuarantinedMessage held(String id, String sender, String rcpt, String reason, Instant at) {
        return new QuarantinedMessage(id, sender, List.of(rcpt), reason, 100, at, 0, 0);
    }

    static ConsumerRecord<String, byte[]> record(String id, String reason, Instant at, long offset) {
        var m = new QueuedMessage(id, QueuedEnvelope.of("alice@a.test", List.of(QueuedRecipient.of("bob@b.test"))),
                new Provenance("127.0.0.1", "client.test", null, null), Schedule.firstAttempt(at),
                "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        var headers = new RecordHeaders(RecordCodec.toRecord(Topics.QUARANTINE, m).headers().toArray());
        if (reason != null) {
            headers.add(RecordCodec.QUARANTINE_REASON, reason.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(Topics.QUARANTINE, 1, offset, at.toEpochMilli(), TimestampType.CREATE_TIME,
                -1, -1, id, m.body(), headers, Optional.empty());
    }

    static ConsumerRecord<String, byte[]> tombstone(String id, long offset) {
        return new ConsumerRecord<>(Topics.QUARANTINE, 1, offset, id, null);
    }

    @Test
    void listsNewestFirstUpToTheLimitAndFilters() {
        index.put(held("a", "alice@a.test", "bob@b.test", "milter: spam", T0));
        index.put(held("b", "carol@c.test", "dave@D.test", "rspamd score 15.2 >= 10", T0.plusSeconds(1)));
        index.put(held("c", "alice@a.test", "erin@e.test", "milter: virus", T0.plusSeconds(2)));

        assertThat(index.list(QuarantineFilter.ALL, 10, T0)).extracting(QuarantinedMessage::id).containsExactly("c", "b", "a");
        assertThat(index.list(QuarantineFilter.ALL, 2, T0)).extracting(QuarantinedMessage::id).containsExactly("c", "b");
        assertThat(index.list(new QuarantineFilter("ALICE", null, null), 10, T0)).extracting(QuarantinedMessage::id)
                .containsExactly("c", "a");
        assertThat(index.list(new QuarantineFilter(null, "d.test", null), 10, T0)).extracting(QuarantinedMessage::id)
                .containsExactly("b");
        assertThat(index.list(new QuarantineFilter("alice", null, "virus"), 10, T0)).extracting(QuarantinedMessage::id)
                .containsExactly("c");
    }

    @Test
    void aNewerRecordReplacesAndATombstoneRemoves() {
        index.put(held("a", "alice@a.test", "bob@b.test", "first", T0));
        index.put(held("a", "alice@a.test", "bob@b.test", "second", T0.plusSeconds(5)));
        assertThat(index.held(T0)).isEqualTo(1);
        assertThat(index.find("a", T0)).get().extracting(QuarantinedMessage::reason).isEqualTo("second");

        index.remove("a");
        assertThat(index.find("a", T0)).isEmpty();
        assertThat(index.held(T0)).isZero();
        index.remove("never-held");
        assertThat(index.held(T0)).isZero();
    }

    @Test
    void entriesPastTheRetentionAreNoLongerHeld() {
        index.put(held("old", "a@a.test", "b@b.test", "r", T0));
        index.put(held("new", "a@a.test", "b@b.test", "r", T0.plus(Duration.ofDays(10))));

        Instant later = T0.plus(Duration.ofDays(30)).plusSeconds(1);
        assertThat(index.find("old", later)).isEmpty();
        assertThat(index.list(QuarantineFilter.ALL, 10, later)).extracting(QuarantinedMessage::id).containsExactly("new");
        assertThat(index.held(later)).isEqualTo(1);
    }

    @Test
    void aFullIndexDropsItsOldestEntries() {
        for (int i = 0; i < 5; i++) {
            index.put(held("m" + i, "a@a.test", "b@b.test", "r", T0.plusSeconds(i)));
        }
        assertThat(index.list(QuarantineFilter.ALL, 10, T0)).extracting(QuarantinedMessage::id)
                .containsExactly("m4", "m3", "m2");
        assertThat(index.dropped()).isEqualTo(2);
    }

    @Test
    void theFollowerIndexesRecordsAsIngressWritesThemAndForgetsThemOnTombstones() {
        QuarantineFollower.apply(index, record("q1", "milter: reject-like content", T0, 7));
        QuarantineFollower.apply(index, record("q2", null, T0.plusSeconds(1), 8));

        assertThat(index.find("q1", T0)).get().satisfies(m -> {
            assertThat(m.sender()).isEqualTo("alice@a.test");
            assertThat(m.recipients()).containsExactly("bob@b.test");
            assertThat(m.reason()).isEqualTo("milter: reject-like content");
            assertThat(m.size()).isEqualTo("Subject: hi\r\n\r\nbody\r\n".length());
            assertThat(m.quarantinedAt()).isEqualTo(T0);
            assertThat(m.partition()).isEqualTo(1);
            assertThat(m.offset()).isEqualTo(7);
        });
        assertThat(index.find("q2", T0)).get().extracting(QuarantinedMessage::reason).isEqualTo("");

        QuarantineFollower.apply(index, tombstone("q1", 9));
        assertThat(index.find("q1", T0)).isEmpty();
        assertThat(index.held(T0)).isEqualTo(1);
    }

    @Test
    void aRecordThatDoesNotDecodeUnlistsItsId() {
        QuarantineFollower.apply(index, record("q1", "spam", T0, 1));
        QuarantineFollower.apply(index, new ConsumerRecord<>(Topics.QUARANTINE, 1, 2, "q1", new byte[] {1}));

        assertThat(index.find("q1", T0)).isEmpty();
    }
}
