package dev.tern.local.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

import dev.tern.local.runtime.EmbeddedCluster;
import dev.tern.local.runtime.kafka.KafkaTopics;
import dev.tern.local.runtime.kafka.TopicSpec;

class TernClusterResourceIT {

    @Test
    void pointsEveryServiceKeyAtTheSharedClusterAndCreatesRequestedTopics() throws Exception {
        String topic = "resource-" + UUID.randomUUID();
        TernClusterResource resource = new TernClusterResource();
        resource.init(Map.of(TernClusterResource.TOPICS_ARG, topic + ":3"));

        Map<String, String> config = resource.start();

        EmbeddedCluster cluster = EmbeddedCluster.shared();
        assertThat(config)
                .containsEntry("kafka.bootstrap.servers", cluster.kafkaBootstrapServers())
                .containsEntry("tern.kafka.bootstrap-servers", cluster.kafkaBootstrapServers())
                .containsEntry("tern.infinispan.hosts", cluster.infinispanHosts())
                .containsEntry("quarkus.infinispan-client.hosts", cluster.infinispanHosts())
                .containsEntry("quarkus.devservices.enabled", "false");
        try (Admin admin = Admin.create(KafkaTopics.adminConfig(config.get("kafka.bootstrap.servers")))) {
            assertThat(admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3);
        }
        resource.stop();
        assertThat(EmbeddedCluster.shared()).isSameAs(cluster);
    }

    @Test
    void parsesTopicArgumentsWithOptionalPartitionCounts() {
        assertThat(TernClusterResource.parseTopics(" tern.inbound:4, tern.events ,"))
                .containsExactly(TopicSpec.of("tern.inbound", 4), TopicSpec.of("tern.events", 1));
    }
}
