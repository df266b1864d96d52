package dev.tern.deploy;

import static dev.tern.deploy.IngressTest.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The optional chart-managed backends (docs/ARCHITECTURE.md, "Chart-managed backends"): a Strimzi
 * Kafka replicated as the durability rules need, with a least-privilege KafkaUser, and an
 * Infinispan with every cache the services use; off by default, and refused at render when the
 * services would not be pointed at them.
 */
class BackendsTest {

    private static final Pattern CACHE_CONSTANT = Pattern.compile("CACHE = \"(tern-[a-z-]+)\"");
    private static final Pattern CACHE_CONFIG = Pattern.compile("@WithDefault\\(\"(tern-[a-z-]+)\"\\)\\s+String \\w*[cC]ache\\(\\)");

    @Test
    void offByDefault() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of()));
        for (String kind : List.of("Kafka", "KafkaNodePool", "KafkaUser", "Infinispan", "Cache")) {
            assertThat(Chart.generic(objects, kind)).as(kind).isEmpty();
        }
    }

    @Test
    void thePresetMakesAReplicatedKafkaAndPointsEveryServiceAtIt() {
        List<HasMetadata> objects = Chart.parse(Chart.renderPreset("values-backends.yaml", Map.of()));

        Map<String, Object> kafka = spec(single(objects, "Kafka"));
        Map<String, Object> config = Yaml.map(Yaml.at(kafka, "kafka", "config"));
        assertThat(config).containsEntry("default.replication.factor", 3).containsEntry("min.insync.replicas", 2)
                .containsEntry("offsets.topic.replication.factor", 3)
                .containsEntry("unclean.leader.election.enable", false).containsEntry("auto.create.topics.enable", false);
        assertThat(((Number) config.get("message.max.bytes")).longValue()).as("a 50 MiB message plus overhead")
                .isGreaterThan(52_428_800L);
        Map<String, Object> listener = Yaml.map(Yaml.list(Yaml.at(kafka, "kafka", "listeners")).get(0));
        assertThat(listener).containsEntry("port", 9093).containsEntry("tls", true);
        assertThat(Yaml.at(listener, "authentication", "type")).isEqualTo("scram-sha-512");

        GenericKubernetesResource pool = single(objects, "KafkaNodePool");
        assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "tern");
        assertThat(spec(pool)).containsEntry("replicas", 3).containsEntry("roles", List.of("controller", "broker"));

        GenericKubernetesResource user = single(objects, "KafkaUser");
        assertThat(user.getMetadata().getName()).isEqualTo("tern");
        List<Map<String, Object>> acls = Yaml.list(Yaml.at(spec(user), "authorization", "acls")).stream()
                .map(Yaml::map).toList();
        assertThat(acls).extracting(a -> Yaml.at(a, "resource", "type") + ":" + Yaml.at(a, "resource", "name"))
                .as("only Tern's topics and groups").containsExactly("topic:tern.", "group:tern-", "cluster:null");
        assertThat(acls).allSatisfy(a -> assertThat(Yaml.list(a.get("operations"))).doesNotContain("All", "Alter", "Delete"));

        for (String service : List.of("ingress", "delivery", "bounce")) {
            var env = deployment(objects, service).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
            assertThat(value(env, "KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("tern-kafka-bootstrap:9093");
            assertThat(value(env, "TERN_INFINISPAN_HOSTS")).isEqualTo("tern-infinispan:11222");
            assertThat(env).filteredOn(e -> e.getName().equals("TERN_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"))
                    .singleElement().satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("tern"));
        }
        assertThat(Chart.generic(objects, "KafkaTopic")).isNotEmpty()
                .allSatisfy(t -> assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "tern"));
    }

    @Test
    void thePresetMakesAnInfinispanWithEveryCacheTheServicesUseWithTwoOwners() {
        List<HasMetadata> objects = Chart.parse(Chart.renderPreset("values-backends.yaml", Map.of()));

        Map<String, Object> infinispan = spec(single(objects, "Infinispan"));
        assertThat(infinispan).containsEntry("replicas", 2);
        assertThat(Yaml.at(infinispan, "security", "endpointSecretName")).isEqualTo("tern-infinispan-identities");
        assertThat(Yaml.at(infinispan, "security", "endpointAuthentication")).isEqualTo(true);

        var made = new TreeSet<String>();
        for (GenericKubernetesResource cache : Chart.generic(objects, "Cache")) {
            Map<String, Object> spec = spec(cache);
            assertThat(spec).containsEntry("clusterName", "tern-infinispan");
            assertThat((String) spec.get("template")).contains("mode=\"SYNC\"", "owners=\"2\"",
                    "application/x-protostream", "<authorization/>", "name=\"" + spec.get("name") + "\"");
            made.add((String) spec.get("name"));
        }
        assertThat(made).as("every cache named in the services' code").isEqualTo(cachesInTheCode());
    }

    @Test
    void refusesACreatedClusterTheServicesWouldNotUse() {
        assertThatThrownBy(() -> Chart.render(Map.of("kafka.cluster.create", true)))
                .hasMessageContaining("kafka.bootstrapServers is tern-kafka-bootstrap:9092");
        assertThatThrownBy(() -> Chart.renderPreset("values-backends.yaml",
                Map.of("kafka.security.properties.security\\.protocol", "PLAINTEXT")))
                .hasMessageContaining("security.protocol=SASL_SSL");
        assertThatThrownBy(() -> Chart.renderPreset("values-backends.yaml", Map.of("kafka.cluster.replicas", 2)))
                .hasMessageContaining("kafka.cluster.replicas (2) is below kafka.topics.replicas (3)");
        assertThatThrownBy(() -> Chart.renderPreset("values-backends.yaml", Map.of("infinispan.hosts", "other:11222")))
                .hasMessageContaining("infinispan.hosts is other:11222");
        assertThatThrownBy(() -> Chart.renderPreset("values-backends.yaml", Map.of("infinispan.cluster.tlsCertSecret", "tls")))
                .hasMessageContaining("infinispan.cluster.tlsCertSecret and infinispan.tls.enabled disagree");
        assertThatThrownBy(() -> Chart.renderPreset("values-backends.yaml", Map.of("infinispan.cluster.owners", 3)))
                .hasMessageContaining("owners (3) exceeds");
    }

    /** Every Infinispan cache name the services' main code declares, as a constant or a config default. */
    private static TreeSet<String> cachesInTheCode() {
        var names = new TreeSet<String>();
        try (Stream<Path> files = Files.walk(Chart.REPO)) {
            files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/"))
                    .forEach(f -> {
                        String source = read(f);
                        CACHE_CONSTANT.matcher(source).results().forEach(m -> names.add(m.group(1)));
                        CACHE_CONFIG.matcher(source).results().forEach(m -> names.add(m.group(1)));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(names).as("the scan finds the journal").contains("tern-journal");
        return names;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String value(List<EnvVar> env, String name) {
        return env.stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name));
    }

    private static GenericKubernetesResource single(List<HasMetadata> objects, String kind) {
        List<GenericKubernetesResource> all = Chart.generic(objects, kind);
        assertThat(all).as(kind).hasSize(1);
        return all.get(0);
    }

    private static Map<String, Object> spec(GenericKubernetesResource o) {
        return Yaml.map(o.getAdditionalProperties().get("spec"));
    }
}
