package dev.tern.delivery.quarantine;

import static dev.tern.delivery.quarantine.QuarantineIndexTest.T0;
import static dev.tern.delivery.quarantine.QuarantineIndexTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QuarantineStoreTest {

    static final Instant NOW = T0.plus(Duration.ofDays(2));
    static final TopicPartition TP = new TopicPartition(Topics.QUARANTINE, 1);

    private final QuarantineIndex index = new QuarantineIndex(Duration.ofDays(30), 100);
    private final MockConsumer<String, byte[]> reader = new MockConsumer<>("earliest");
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private QuarantineStore store;

    @BeforeEach
    void setUp() {
        store = new QuarantineStore(index, reader, producer, new QuarantineMetrics(registry, () -> index.held(NOW)),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** {@code id} held at offset 5, as the follower indexed it and as the reader will find it. */
    private ConsumerRecord<String, byte[]> hold(String id) {
        ConsumerRecord<String, byte[]> r = record(id, "milter: spam", T0, 5);
        QuarantineFollower.apply(index, r);
        reader.assign(List.of(TP));
        reader.updateBeginningOffsets(Map.of(TP, 0L));
        reader.updateEndOffsets(Map.of(TP, 6L));
        reader.addRecord(r);
        return r;
    }

    @Test
    void showReadsTheRecordTheIndexPointsAt() throws Exception {
        ConsumerRecord<String, byte[]> r = hold("q1");

        var held = store.show("q1").orElseThrow();
        assertThat(held.meta().reason()).isEqualTo("milter: spam");
        assertThat(held.message().body()).isEqualTo(r.value());
        assertThat(held.message().sender()).isEqualTo("alice@a.test");
        assertThat(store.show("unknown")).isEmpty();
    }

    @Test
    void aRecordCompactedAwaySinceItWasIndexedIsNotShown() throws Exception {
        QuarantineFollower.apply(index, record("q1", "spam", T0, 5));
        reader.assign(List.of(TP));
        reader.updateBeginningOffsets(Map.of(TP, 0L));
        reader.updateEndOffsets(Map.of(TP, 8L));
        reader.addRecord(record("other", "spam", T0, 7));

        assertThat(store.show("q1")).isEmpty();
    }

    @Test
    void releaseQueuesTheMessageOnInboundBeforeTheTombstone() throws Exception {
        hold("q1");

        assertThat(store.release("q1")).get().extracting(QuarantinedMessage::id).isEqualTo("q1");

        var sent = producer.history();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).topic()).isEqualTo(Topics.INBOUND);
        assertThat(sent.get(0).key()).isEqualTo("q1");
        assertThat(sent.get(0).headers().lastHeader(RecordCodec.QUARANTINE_REASON)).isNull();
        var queued = RecordCodec.fromHeaders(sent.get(0).headers(), sent.get(0).value());
        assertThat(queued.schedule().attempt()).isZero();
        assertThat(queued.schedule().firstReceived()).as("the queue lifetime starts at the release").isEqualTo(NOW);
        assertThat(queued.recipients()).extracting(r -> r.address()).containsExactly("bob@b.test");
        assertThat(sent.get(1).topic()).isEqualTo(Topics.QUARANTINE);
        assertThat(sent.get(1).key()).isEqualTo("q1");
        assertThat(sent.get(1).value()).isNull();
        assertThat(index.find("q1", NOW)).isEmpty();
        assertThat(registry.get("tern.quarantine.actions").tag("action", "released").counter().count()).isEqualTo(1.0);
        assertThat(store.release("q1")).isEmpty();
    }

    @Test
    void aReleaseKafkaDidNotTakeLeavesTheMessageHeld() {
        hold("q1");
        producer.sendException = new NotEnoughReplicasException("one broker left");

        assertThatThrownBy(() -> store.release("q1")).isInstanceOf(QuarantineUnavailableException.class)
                .hasMessageContaining("one broker left");
        assertThat(producer.history()).noneMatch(r -> r.topic().equals(Topics.QUARANTINE));
        assertThat(index.find("q1", NOW)).isPresent();
    }

    @Test
    void deleteWritesOnlyATombstone() throws Exception {
        hold("q1");

        assertThat(store.delete("q1")).isPresent();
        assertThat(producer.history()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo(Topics.QUARANTINE);
            assertThat(r.key()).isEqualTo("q1");
            assertThat(r.value()).isNull();
        });
        assertThat(store.delete("q1")).isEmpty();
        assertThat(registry.get("tern.quarantine.actions").tag("action", "deleted").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("tern.quarantine.messages").gauge().value()).isZero();
    }
}
