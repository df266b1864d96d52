package dev.tern.local.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class QuorumMemberPropertiesTest {

    private final Map<String, String> node2 = KafkaServerProperties.quorumMember(2, 9093, 40002,
            KafkaQuorum.voters(List.of(40001, 40002, 40003)), 3, Path.of("/data/node-2/kraft"));

    @Test
    void votersNameEveryControllerByNodeIdOnLoopback() {
        assertThat(KafkaQuorum.voters(List.of(40001, 40002, 40003)))
                .isEqualTo("1@127.0.0.1:40001,2@127.0.0.1:40002,3@127.0.0.1:40003");
    }

    @Test
    void aMemberIsACombinedNodeWithStaticVotersInsteadOfABootstrapController() {
        assertThat(node2).containsEntry("node.id", "2")
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:40001,2@127.0.0.1:40002,3@127.0.0.1:40003")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9093,CONTROLLER://127.0.0.1:40002")
                .doesNotContainKey("controller.quorum.bootstrap.servers");
    }

    @Test
    void everyTopicInternalOnesIncludedHasThreeReplicasAndNeedsTwoInSync() {
        assertThat(node2).containsEntry("default.replication.factor", "3")
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2")
                .containsEntry("share.coordinator.state.topic.replication.factor", "3")
                .containsEntry("share.coordinator.state.topic.min.isr", "2")
                .containsEntry("unclean.leader.election.enable", "false");
    }

    @Test
    void theSingleNodeKeepsReplicationFactorOne() {
        Map<String, String> single = KafkaServerProperties.of(9092, 40000, Path.of("/data/kraft"));
        assertThat(single).containsEntry("node.id", "1")
                .containsEntry("controller.quorum.bootstrap.servers", "127.0.0.1:40000")
                .containsEntry("default.replication.factor", "1")
                .containsEntry("min.insync.replicas", "1")
                .containsEntry("offsets.topic.replication.factor", "1")
                .doesNotContainKey("controller.quorum.voters");
    }

    @Test
    void refusesAQuorumWithoutReplicas() {
        assertThatThrownBy(() -> KafkaServerProperties.quorumMember(1, 9092, 40001, "1@127.0.0.1:40001", 0,
                Path.of("/x"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replicas");
    }
}
