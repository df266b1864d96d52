package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.delivery.metrics.QueueBacklog;
import dev.tern.delivery.metrics.QueueHeads;
import dev.tern.common.queue.RecordCodec;
import java.nio.charset.StandardCharsets;
import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.local.testkit.TernClusterResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The backlog gauges against the real broker: a retry tier's lag splits into the records written
 * more than a delay ago (due) and the rest, and the group's committed offset moves both.
 */
@QuarkusTest
@QuarkusTestResource(TernClusterResource.class)
@QuarkusTestResource(DeliveryTestResource.class)
class QueueBacklogIT {

    @Test
    void aTiersLagSplitsIntoDueRecordsAndRecordsWaitingForTheirTime() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("tern.kafka.bootstrap-servers", String.class);
        String tier = "backlog-test.1h." + UUID.randomUUID();
        String inbound = "backlog-test.inbound." + UUID.randomUUID();
        String group = "backlog-test-" + UUID.randomUUID();
        try (Admin admin = Admin.create(KafkaClients.admin(bootstrap, KafkaClientProperties.none()));
                var producer = new KafkaProducer<String, byte[]>(KafkaClients.producer(bootstrap,
                        KafkaClientProperties.none(), 1 << 20, "backlog-test"))) {
            admin.createTopics(List.of(new NewTopic(tier, 1, (short) 1), new NewTopic(inbound, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            long now = System.currentTimeMillis();
            long twoHoursAgo = now - Duration.ofHours(2).toMillis();
            // Written in time order, as delivery writes a tier: three deferred two hours ago, two just now.
            // Each message was first received three hours before its record was written.
            for (long at : new long[] {twoHoursAgo, twoHoursAgo + 1, twoHoursAgo + 2, now, now + 1}) {
                for (String topic : List.of(tier, inbound)) {
                    var record = new ProducerRecord<>(topic, 0, at, "id-" + at, new byte[0]);
                    record.headers().add(RecordCodec.FIRST_RECEIVED, Long.toString(at - Duration.ofHours(3).toMillis())
                            .getBytes(StandardCharsets.US_ASCII));
                    producer.send(record).get(30, TimeUnit.SECONDS);
                }
            }
            var registry = new SimpleMeterRegistry();
            var heads = new QueueHeads(KafkaClients.consumer(bootstrap, KafkaClientProperties.none(), 1 << 20,
                    group, "backlog-test-heads"));
            var backlog = new QueueBacklog(admin, group, registry, Clock.systemUTC(), heads);
            var tiers = List.of(new QueueBacklog.Tier(inbound, Duration.ZERO),
                    new QueueBacklog.Tier(tier, Duration.ofHours(1)));

            backlog.refresh(tiers);
            assertThat(backlog.backlog(tier)).isEqualTo(5);
            assertThat(backlog.due(tier)).as("written more than the tier's hour ago").isEqualTo(3);
            assertThat(backlog.backlog(inbound)).isEqualTo(5);
            assertThat(backlog.due(inbound)).as("everything on tern.inbound is due").isEqualTo(5);
            assertThat(registry.get("tern.delivery.due.records").tag("topic", tier).gauge().value()).isEqualTo(3.0);
            assertThat(backlog.oldestAgeSeconds(tier)).as("the head was first received five hours ago")
                    .isBetween(5 * 3600L - 60, 5 * 3600L + 60);

            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(tier, 0), new OffsetAndMetadata(2)))
                    .all().get(30, TimeUnit.SECONDS);
            backlog.refresh(tiers);
            assertThat(backlog.backlog(tier)).isEqualTo(3);
            assertThat(backlog.due(tier)).as("one due record left after the commit").isEqualTo(1);
            assertThat(backlog.oldestAgeSeconds(tier)).as("the head is now the third record, as old")
                    .isBetween(5 * 3600L - 60, 5 * 3600L + 60);
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(tier, 0), new OffsetAndMetadata(5),
                    new TopicPartition(inbound, 0), new OffsetAndMetadata(3))).all().get(30, TimeUnit.SECONDS);
            backlog.refresh(tiers);
            assertThat(backlog.oldestAgeSeconds(tier)).as("no backlog, no age").isZero();
            assertThat(backlog.oldestAgeSeconds(inbound)).as("the head is a record written just now")
                    .isBetween(3 * 3600L - 60, 3 * 3600L + 60);
            heads.close();
            admin.deleteTopics(List.of(tier, inbound)).all().get(30, TimeUnit.SECONDS);
        }
    }
}
