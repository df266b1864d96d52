package dev.tern.common.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    private static QueuedMessage sample() {
        var r1 = new Recipient("a@example.org", EnumSet.of(Recipient.Notify.SUCCESS, Recipient.Notify.FAILURE),
                "rfc822;a@example.org", null, null);
        var r2 = new Recipient("Ünïcode@exämple.org", null, null, "451 4.7.1 try later", "mx1.exämple.org");
        return new QueuedMessage("Q123", "sender@example.com", List.of(r1, r2), 2, Instant.ofEpochMilli(1_700_000_060_000L),
                Instant.ofEpochMilli(1_700_000_000_000L), "acme", "192.0.2.7", "client.example",
                "TLSv1.3 TLS_AES_128_GCM_SHA256", "alice", "env-1", "HDRS", "8BITMIME", true,
                "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTripsEveryEnvelopeField() {
        QueuedMessage m = sample();
        var pr = RecordCodec.toRecord(Topics.INBOUND, m);
        assertThat(pr.key()).isEqualTo("Q123");
        var cr = new ConsumerRecord<>(Topics.INBOUND, 0, 0L, pr.key(), pr.value());
        pr.headers().forEach(h -> cr.headers().add(h));
        assertThat(RecordCodec.fromRecord(cr)).isEqualTo(m);
    }

    @Test
    void nullSenderSurvivesAsEmptyString() {
        QueuedMessage m = new QueuedMessage("Q1", "", List.of(Recipient.of("x@y.z")), 0, null, Instant.EPOCH,
                null, null, null, null, null, null, null, null, false, new byte[0]);
        var back = RecordCodec.fromHeaders(RecordCodec.headers(m), m.body());
        assertThat(back.hasNullSender()).isTrue();
        assertThat(back.notBefore()).isNull();
        assertThat(back).isEqualTo(m);
    }

    @Test
    void recordWithoutIdIsMalformed() {
        var h = new RecordHeaders();
        h.add(RecordCodec.SENDER, "a@b".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> RecordCodec.fromHeaders(h, new byte[0]))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("tern-id");
    }

    @Test
    void recordWithoutRecipientsIsMalformed() {
        var h = RecordCodec.headers(sample());
        h.remove(RecordCodec.RCPT);
        assertThatThrownBy(() -> RecordCodec.fromHeaders(h, new byte[0])).isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void retryCopyKeepsOnlyRemainingRecipients() {
        QueuedMessage m = sample();
        var next = m.forRetry(List.of(m.recipients().get(1)), 3, Instant.ofEpochSecond(5));
        assertThat(next.recipients()).extracting(Recipient::address).containsExactly("Ünïcode@exämple.org");
        assertThat(next.attempt()).isEqualTo(3);
        assertThat(next.firstReceived()).isEqualTo(m.firstReceived());
        assertThat(next.body()).isSameAs(m.body());
    }

    @Test
    void retryTopicsAreNamedAfterTheirDelay() {
        assertThat(Topics.retryTopics(List.of(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofHours(2),
                Duration.ofDays(1)))).containsExactly("tern.retry.10s", "tern.retry.5m", "tern.retry.2h", "tern.retry.1d");
        assertThat(Topics.all(List.of(Duration.ofMinutes(1)))).containsExactly("tern.inbound", "tern.retry.1m",
                "tern.failed", "tern.events", "tern.control");
    }

    @Test
    void durationsParseAndFormat() {
        assertThat(DurationText.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> DurationText.parse("5 minutes")).hasMessageContaining("5 minutes");
    }
}
