package dev.tern.delivery.app;

import dev.tern.common.config.TernConfig;
import dev.tern.common.kafka.KafkaAuthFailures;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.kafka.TopicPlan;
import dev.tern.common.policy.Policy;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates the topics of the policy's retry ladder (and {@code tern.quarantine}, aged out after
 * {@code tern.quarantine.retention}) when {@code tern.delivery.create-topics} is on
 * (local runs; in a cluster the Helm chart owns topics). Existing topics are left as they are.
 * Failure is logged, not fatal: the consumer waits for topics that do not exist yet.
 */
final class Topology {

    private static final Logger LOG = Logger.getLogger(Topology.class);

    private Topology() {
    }

    static void createTopics(TernConfig tern, KafkaClientProperties kafkaProperties, Policy policy,
            Duration quarantineRetention) {
        var k = tern.kafka();
        try (Admin admin = Admin.create(KafkaClients.admin(k.bootstrapServers(), kafkaProperties))) {
            for (TopicPlan t : TopicPlan.forLadder(policy.retry(), k.partitions(), k.replicationFactor(),
                    k.maxMessageBytes(), quarantineRetention)) {
                try {
                    admin.createTopics(java.util.List.of(new NewTopic(t.name(), t.partitions(), t.replicationFactor())
                            .configs(t.configs()))).all().get(30, TimeUnit.SECONDS);
                    LOG.infof("created topic %s", t.name());
                } catch (ExecutionException e) {
                    if (KafkaAuthFailures.report(e)) {
                        return;
                    }
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.warnf("cannot create topic %s: %s", t.name(), e.getCause().toString());
                    }
                }
            }
        } catch (Exception e) {
            if (!KafkaAuthFailures.report(e)) {
                LOG.warnf("topic creation failed: %s", e.toString());
            }
        }
    }
}
