package dev.tern.local.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerRestartIT {

    @TempDir
    Path dataDir;

    @Test
    void keepsTopicRecordsAcrossARestartOnTheSameDataDir() throws Exception {
        String bootstrapBefore;
        try (KafkaBroker broker = KafkaBroker.start(dataDir)) {
            bootstrapBefore = broker.bootstrapServers();
            broker.createTopics(List.of(TopicSpec.of("survivor", 1)));
            try (KafkaProducer<String, byte[]> producer = KafkaBrokerRoundTripIT.producer(broker.bootstrapServers())) {
                producer.send(new ProducerRecord<>("survivor", "k", "kept".getBytes(StandardCharsets.UTF_8))).get();
            }
        }

        try (KafkaBroker restarted = KafkaBroker.start(dataDir)) {
            assertThat(restarted.bootstrapServers()).isEqualTo(bootstrapBefore);
            List<ConsumerRecord<String, byte[]>> records =
                    KafkaBrokerRoundTripIT.consumeAtLeast(restarted.bootstrapServers(), "survivor", 1);
            assertThat(records).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("kept");
        }
    }
}
