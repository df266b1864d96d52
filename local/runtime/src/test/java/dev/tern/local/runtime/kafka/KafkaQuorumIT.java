package dev.tern.local.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three combined KRaft nodes: replicated topics, a record acknowledged by all survives a node's SIGKILL. */
class KafkaQuorumIT {

    @TempDir
    Path dataDir;

    @Test
    void keepsAcknowledgedRecordsWhenANodeIsKilledAndTheNodeRejoins() throws Exception {
        try (KafkaQuorum quorum = KafkaQuorum.start(dataDir, List.of(0, 0, 0))) {
            assertThat(quorum.bootstrapServers().split(",")).hasSize(3);
            quorum.createTopics(List.of(new TopicSpec("ha", 3, 3, Map.of())));
            try (Admin admin = Admin.create(KafkaTopics.adminConfig(quorum.bootstrapServers()))) {
                TopicDescription ha = admin.describeTopics(List.of("ha")).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get("ha");
                assertThat(ha.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
                ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
                assertThat(admin.describeConfigs(List.of(broker)).all().get().get(broker)
                        .get("min.insync.replicas").value()).isEqualTo("2");
            }

            try (KafkaProducer<String, byte[]> producer = KafkaBrokerRoundTripIT.producer(quorum.bootstrapServers())) {
                for (int i = 0; i < 30; i++) {
                    producer.send(record("before-" + i)).get();
                }
                quorum.kill(1);
                for (int i = 0; i < 30; i++) {
                    producer.send(record("after-" + i)).get(60, TimeUnit.SECONDS);
                }
            }
            List<ConsumerRecord<String, byte[]>> read = KafkaBrokerRoundTripIT.consumeAtLeast(
                    quorum.bootstrapServers(), "ha", 60);
            Set<String> values = read.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .collect(Collectors.toSet());
            assertThat(values).hasSize(60).contains("before-0", "before-29", "after-0", "after-29");
            assertThat(quorum.underReplicated(List.of("ha"))).isNotEmpty();

            quorum.restart(1);
            quorum.awaitFullyReplicated(List.of("ha"), Duration.ofSeconds(90));
        }
    }

    private static ProducerRecord<String, byte[]> record(String value) {
        return new ProducerRecord<>("ha", value, value.getBytes(StandardCharsets.UTF_8));
    }
}
