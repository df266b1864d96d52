package dev.tern.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaSendsTest {

    private final MockProducer<String, String> producer =
            new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());

    @Test
    void completesOnlyOnceTheBrokerAcknowledged() {
        var f = KafkaSends.send(producer, new ProducerRecord<>("t", "k", "v"));
        assertThat(f).isNotDone();
        producer.completeNext();
        assertThat(f.join().topic()).isEqualTo("t");
    }

    @Test
    void failsWhenTheBrokerRefuses() {
        var f = KafkaSends.send(producer, new ProducerRecord<>("t", "k", "v"));
        producer.errorNext(new NotEnoughReplicasException("isr"));
        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(NotEnoughReplicasException.class);
    }

    @Test
    void failsInsteadOfThrowingWhenSendItselfThrows() {
        producer.close();
        var f = KafkaSends.send(producer, new ProducerRecord<>("t", "k", "v"));
        assertThat(f).isCompletedExceptionally();
    }

    @Test
    void sendAllWaitsForEveryRecordAndFailsIfAnyFails() {
        var ok = KafkaSends.sendAll(producer, List.of(new ProducerRecord<>("t", "a"), new ProducerRecord<>("t", "b")));
        producer.completeNext();
        assertThat(ok).isNotDone();
        producer.completeNext();
        assertThat(ok).isCompleted();

        var bad = KafkaSends.sendAll(producer, List.of(new ProducerRecord<>("t", "a"), new ProducerRecord<>("t", "b")));
        producer.completeNext();
        producer.errorNext(new NotEnoughReplicasException("isr"));
        assertThat(bad).isCompletedExceptionally();
    }
}
