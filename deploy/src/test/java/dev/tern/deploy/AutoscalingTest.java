package dev.tern.deploy;

import static dev.tern.deploy.IngressTest.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Scaling on the backlog with KEDA (docs/ARCHITECTURE.md, "Backlog metrics and autoscaling"):
 * delivery on the lag of tern.inbound and the due records of exactly the policy's retry tiers,
 * bounce on tern.failed, never past the partitions; the CPU HPA only while KEDA is off.
 */
class AutoscalingTest {

    private static final String KEDA_ON = values("{enabled: true}");

    private static String values(String deliveryKeda) {
        return """
            delivery:
              keda: %s
            bounce:
              keda: {enabled: true}
            policy:
              retry: [2m, 15m, 4h]
            kafka:
              topics:
                partitions: 8
                overrides:
                  tern.failed: {partitions: 3}
            """.formatted(deliveryKeda);
    }

    @Test
    void deliveryScalesOnInboundLagAndTheDueRecordsOfThePolicysRetryTiers() {
        List<HasMetadata> objects = Chart.parse(Chart.renderValues(KEDA_ON));
        Map<String, Object> spec = spec(scaledObject(objects, "tern-delivery"));

        assertThat(Yaml.at(spec, "scaleTargetRef", "name")).isEqualTo("tern-delivery");
        assertThat(spec.get("maxReplicaCount")).as("capped at tern.inbound's partitions").isEqualTo(8);
        List<Map<String, Object>> triggers = Yaml.list(spec.get("triggers")).stream().map(Yaml::map).toList();
        assertThat(triggers).extracting(t -> t.get("type")).containsExactly("kafka", "prometheus", "cpu");

        Map<String, Object> kafka = Yaml.map(triggers.get(0).get("metadata"));
        assertThat(kafka).containsEntry("topic", "tern.inbound").containsEntry("consumerGroup", "tern-delivery")
                .containsEntry("allowIdleConsumers", "false").containsEntry("bootstrapServers", "tern-kafka-bootstrap:9092");

        String query = (String) Yaml.map(triggers.get(1).get("metadata")).get("query");
        var topics = Pattern.compile("topic=~\"([^\"]*)\"").matcher(query);
        assertThat(topics.find()).as(query).isTrue();
        List<String> tiers = List.of("tern.retry.2m", "tern.retry.15m", "tern.retry.4h");
        Pattern matcher = Pattern.compile(topics.group(1).replace("\\\\", "\\"));
        assertThat(tiers).allSatisfy(t -> assertThat(matcher.matcher(t).matches()).as(t).isTrue());
        assertThat(List.of("tern.inbound", "tern.retry.1m", "tern.retry.2h", "tern.retry.2mx", "tern.failed"))
                .noneSatisfy(t -> assertThat(matcher.matcher(t).matches()).as(t).isTrue());
        assertThat(query).startsWith("clamp_min(sum(max by (topic) (tern_delivery_due_records{")
                .as("deliverable: due minus what pods hold for a rate token")
                .contains("- (sum(tern_delivery_throttled_messages{");
        assertThat(MetricsContract.load().series).as("exported metrics with the labels used")
                .containsKeys("tern_delivery_due_records", "tern_delivery_throttled_messages");
        assertThat(MetricsContract.labelsIn(query)).containsExactlyInAnyOrder("namespace", "topic");

        assertThat(Chart.ofKind(objects, HorizontalPodAutoscaler.class)).as("KEDA owns delivery's HPA")
                .noneSatisfy(h -> assertThat(h.getMetadata().getName()).isEqualTo("tern-delivery"));
        assertThat(deployment(objects, "delivery").getSpec().getReplicas()).as("replicas left to KEDA").isNull();
    }

    @Test
    void bounceScalesOnItsOwnTopicUpToItsPartitions() {
        List<HasMetadata> objects = Chart.parse(Chart.renderValues(KEDA_ON));
        Map<String, Object> spec = spec(scaledObject(objects, "tern-bounce"));

        assertThat(spec.get("maxReplicaCount")).isEqualTo(3);
        assertThat(spec.get("minReplicaCount")).isEqualTo(1);
        assertThat(Yaml.list(spec.get("triggers"))).singleElement().satisfies(t -> assertThat(
                Yaml.map(Yaml.map(t).get("metadata"))).containsEntry("topic", "tern.failed")
                .containsEntry("consumerGroup", "tern-bounce"));
        assertThat(deployment(objects, "bounce").getSpec().getReplicas()).isNull();
    }

    @Test
    void withoutKedaTheCpuHpaStaysAndNoScaledObjectIsRendered() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of()));

        assertThat(Chart.generic(objects, "ScaledObject")).isEmpty();
        assertThat(Chart.ofKind(objects, HorizontalPodAutoscaler.class))
                .anySatisfy(h -> assertThat(h.getMetadata().getName()).isEqualTo("tern-delivery"));
    }

    @Test
    void aKafkaTriggerAuthenticationIsReferencedWhenNamed() {
        List<HasMetadata> objects = Chart.parse(Chart.renderValues(
                values("{enabled: true, kafkaAuthenticationRef: tern-kafka-keda}")));
        Map<String, Object> kafka = Yaml.map(Yaml.list(spec(scaledObject(objects, "tern-delivery")).get("triggers")).get(0));

        assertThat(Yaml.at(kafka, "authenticationRef", "name")).isEqualTo("tern-kafka-keda");
    }

    private static GenericKubernetesResource scaledObject(List<HasMetadata> objects, String name) {
        return Chart.generic(objects, "ScaledObject").stream().filter(o -> o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no ScaledObject " + name));
    }

    private static Map<String, Object> spec(GenericKubernetesResource o) {
        assertThat(o.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
        return Yaml.map(o.getAdditionalProperties().get("spec"));
    }
}
