package dev.tern.bounce.app;

import static dev.tern.bounce.support.Messages.failedRecipient;
import static dev.tern.bounce.support.Messages.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.bounce.support.CommittedOffsets;
import dev.tern.bounce.support.InboundReader;
import dev.tern.common.config.TernConfig;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Topics;
import dev.tern.local.testkit.TernClusterResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * At-least-once on the connector path (docs/ARCHITECTURE.md, "Consumers"): while the failure
 * notice cannot be published ({@code tern.inbound} is gone, so the producer's send fails), the
 * {@code tern.failed} record is neither committed nor dropped; once the topic is back the same
 * record is handled again and its notice goes out. Acking on failure, a failure strategy that
 * skips, or committing before the publish would each lose the notice here.
 */
@QuarkusTest
@QuarkusTestResource(value = TernClusterResource.class, initArgs = @ResourceArg(name = "topics",
        value = "tern.failed:2,tern.inbound:2,tern.events:2,tern.retry.5m:2,tern.feedback:2"))
class FailureNoticeAtLeastOnceIT {

    /** The producer gives up on a missing topic after max.block.ms (60 s) or delivery.timeout.ms (2 min). */
    private static final Duration FAILURE_WAIT = Duration.ofMinutes(4);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    TernConfig tern;

    @Inject
    MeterRegistry registry;

    private double publishErrors() {
        var c = registry.find("tern.bounce.errors").tags("stage", "publish").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aNoticeThatCouldNotBePublishedIsRetriedAndItsRecordStaysUncommitted() throws Exception {
        String bootstrap = tern.kafka().bootstrapServers();
        String marker = "mark-" + UUID.randomUUID();
        try (var admin = Admin.create(KafkaClients.admin(bootstrap, KafkaClientProperties.none()));
                var producer = new KafkaProducer<String, byte[]>(KafkaClients.producer(bootstrap,
                        KafkaClientProperties.none(), 1 << 20, "test"));
                var committed = new CommittedOffsets(bootstrap, "tern-bounce")) {
            admin.deleteTopics(Set.of(Topics.INBOUND)).all().get(30, TimeUnit.SECONDS);
            try {
                double errorsBefore = publishErrors();
                var sent = producer.send(RecordCodec.toRecord(Topics.FAILED, message("L-" + marker,
                        "alice@origin.test", List.of(failedRecipient("a@remote.test", "550 5.1.1 no", null)),
                        Instant.now(), null, null, marker))).get();
                var partition = new TopicPartition(Topics.FAILED, sent.partition());

                Instant end = Instant.now().plus(FAILURE_WAIT);
                while (publishErrors() <= errorsBefore && Instant.now().isBefore(end)) {
                    Thread.sleep(500);
                }
                assertThat(publishErrors()).as("the publish failed at least once").isGreaterThan(errorsBefore);
                assertThat(committed.of(partition)).as("committed offset while the notice is not published")
                        .isLessThanOrEqualTo(sent.offset());

                recreateInbound(admin);
                try (var inbound = new InboundReader(bootstrap)) {
                    assertThat(inbound.await(marker, 1, FAILURE_WAIT)).hasSize(1);
                }
                assertThat(committed.awaitPast(partition, sent.offset(), WAIT)).isGreaterThan(sent.offset());
            } finally {
                recreateInbound(admin);
            }
        }
    }

    /** Creates {@code tern.inbound} again (other test classes of this JVM share it), once the deletion is done. */
    private static void recreateInbound(Admin admin) throws Exception {
        Instant end = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(end)) {
            if (admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(Topics.INBOUND)) {
                return;
            }
            try {
                admin.createTopics(Set.of(new NewTopic(Topics.INBOUND, 2, (short) 1))).all().get(10, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                // Still being deleted (TopicExistsException / marked for deletion): try again shortly.
                Thread.sleep(200);
            }
        }
        throw new AssertionError(Topics.INBOUND + " not recreated within " + WAIT);
    }
}
