package dev.tern.local.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.tern.local.runtime.EmbeddedCluster;
import dev.tern.local.runtime.kafka.TopicSpec;

/**
 * Quarkus test resource that points a service under {@code @QuarkusTest} at the JVM-wide
 * {@link EmbeddedCluster#shared() shared cluster}.
 *
 * <p>Use {@code @QuarkusTestResource(TernClusterResource.class)} (or
 * {@code @WithTestResource}). {@link #start()} returns the config the services read — see
 * {@link #config(EmbeddedCluster)} — and turns Quarkus Dev Services off, since the servers are
 * already there. Optional init arg {@code topics}: a comma-separated list of
 * {@code name[:partitions]} created (if missing) before the application starts, e.g.
 * {@code @ResourceArg(name = "topics", value = "tern.inbound:4,tern.events")}.
 *
 * <p>{@link #stop()} leaves the cluster running: it belongs to the JVM and is stopped by a
 * shutdown hook after the last test, so Quarkus restarts between test profiles stay cheap.
 */
public final class TernClusterResource implements QuarkusTestResourceLifecycleManager {

    /** Init arg naming topics to create, {@code name[:partitions]} separated by commas. */
    public static final String TOPICS_ARG = "topics";

    private List<TopicSpec> topics = List.of();

    @Override
    public void init(Map<String, String> initArgs) {
        topics = parseTopics(initArgs.getOrDefault(TOPICS_ARG, ""));
    }

    @Override
    public Map<String, String> start() {
        EmbeddedCluster cluster = EmbeddedCluster.shared();
        cluster.createTopics(topics);
        return config(cluster);
    }

    @Override
    public void stop() {
        // The shared cluster outlives every Quarkus application of this JVM; see class comment.
    }

    /**
     * Config keys for Tern's services: {@code kafka.bootstrap.servers},
     * {@code tern.kafka.bootstrap-servers}, {@code tern.infinispan.hosts},
     * {@code quarkus.infinispan-client.hosts}, plus BASIC Hot Rod intelligence (correct for one
     * node, required behind container port mapping), Dev Services off, and the admin tokens file
     * of {@link TestAdminTokens}.
     */
    public static Map<String, String> config(EmbeddedCluster cluster) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", cluster.kafkaBootstrapServers());
        config.put("tern.kafka.bootstrap-servers", cluster.kafkaBootstrapServers());
        config.put("tern.infinispan.hosts", cluster.infinispanHosts());
        config.put("quarkus.infinispan-client.hosts", cluster.infinispanHosts());
        config.put("quarkus.infinispan-client.client-intelligence", "BASIC");
        config.put("quarkus.devservices.enabled", "false");
        config.put("quarkus.kafka.devservices.enabled", "false");
        config.put("quarkus.infinispan-client.devservices.enabled", "false");
        config.putAll(TestAdminTokens.config());
        return config;
    }

    static List<TopicSpec> parseTopics(String value) {
        List<TopicSpec> specs = new ArrayList<>();
        for (String item : value.split(",")) {
            String entry = item.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon < 0) {
                specs.add(TopicSpec.of(entry, 1));
            } else {
                specs.add(TopicSpec.of(entry.substring(0, colon).trim(), Integer.parseInt(entry.substring(colon + 1).trim())));
            }
        }
        return specs;
    }
}
