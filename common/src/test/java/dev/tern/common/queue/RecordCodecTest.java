package dev.tern.common.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    private static QueuedMessage sample() {
        return V1Samples.all().get("everything-set");
    }

    @Test
    void roundTripsEveryEnvelopeField() {
        QueuedMessage m = sample();
        var pr = RecordCodec.toRecord(Topics.INBOUND, m);
        assertThat(pr.key()).isEqualTo("Q0001");
        var cr = new ConsumerRecord<>(Topics.INBOUND, 0, 0L, pr.key(), pr.value());
        pr.headers().forEach(h -> cr.headers().add(h));
        assertThat(RecordCodec.fromRecord(cr)).isEqualTo(m);
    }

    @Test
    void nullSenderSurvivesAsEmptyString() {
        QueuedMessage m = new QueuedMessage("Q1", QueuedEnvelope.of("", List.of(QueuedRecipient.of("x@y.z"))),
                Provenance.NONE, Schedule.firstAttempt(Instant.EPOCH), new byte[0]);
        var back = RecordCodec.fromHeaders(RecordCodec.headers(m), m.body());
        assertThat(back.hasNullSender()).isTrue();
        assertThat(back.schedule().notBefore()).isNull();
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
        assertThat(next.recipients()).extracting(QueuedRecipient::address).containsExactly("Ünïcode@exämple.org");
        assertThat(next.schedule().attempt()).isEqualTo(3);
        assertThat(next.schedule().firstReceived()).isEqualTo(m.schedule().firstReceived());
        assertThat(next.envelope().ret()).isEqualTo(m.envelope().ret());
        assertThat(next.provenance()).isEqualTo(m.provenance());
        assertThat(next.body()).isSameAs(m.body());
    }

    @Test
    void unparsableOptionalValuesAreDroppedNotFatal() {
        var h = RecordCodec.headers(V1Samples.all().get("minimal"));
        h.remove(RecordCodec.RCPT);
        h.add(RecordCodec.RCPT, "{\"addr\":\"a@b.c\",\"orcpt\":\"no-semicolon\",\"reply\":\"not a reply\"}"
                .getBytes(StandardCharsets.UTF_8));
        h.add(RecordCodec.RET, "SOME".getBytes(StandardCharsets.UTF_8));
        h.add(RecordCodec.BODY, "9BIT".getBytes(StandardCharsets.UTF_8));
        var m = RecordCodec.fromHeaders(h, new byte[0]);
        assertThat(m.recipients().get(0).orcpt()).isNull();
        assertThat(m.recipients().get(0).lastReply()).isNull();
        assertThat(m.envelope().ret()).isNull();
        assertThat(m.envelope().bodyType()).isNull();
    }

    @Test
    void multiLineRepliesAreStoredAsOneLine() {
        var reply = dev.tern.smtp.reply.Reply.multiline(550, "5.7.1", List.of("blocked", "see https://x.test"));
        var m = V1Samples.all().get("minimal");
        m = m.withRecipients(List.of(m.recipients().get(0).withLastReply(reply, "mx.test")));
        var back = RecordCodec.fromHeaders(RecordCodec.headers(m), m.body());
        assertThat(back.recipients().get(0).lastReply()).hasToString("550 5.7.1 blocked see https://x.test");
        assertThat(back.recipients().get(0).lastReply().status()).hasToString("5.7.1");
    }

    @Test
    void retryTopicsAreNamedAfterTheirDelay() {
        assertThat(Topics.retryTopics(List.of(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofHours(2),
                Duration.ofDays(1)))).containsExactly("tern.retry.10s", "tern.retry.5m", "tern.retry.2h", "tern.retry.1d");
        assertThat(Topics.all(List.of(Duration.ofMinutes(1)))).containsExactly("tern.inbound", "tern.retry.1m",
                "tern.failed", "tern.events", "tern.control", "tern.quarantine", "tern.feedback");
    }

    @Test
    void durationsParseAndFormat() {
        assertThat(DurationText.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> DurationText.parse("5 minutes")).hasMessageContaining("5 minutes");
    }
}
