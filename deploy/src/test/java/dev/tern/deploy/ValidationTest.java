package dev.tern.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Invalid installs fail at render time: combinations through templates/validate.yaml with
 * a message that says what to change, wrong types and unknown keys through values.schema.json.
 */
class ValidationTest {

    static Stream<Arguments> invalidCombinations() {
        return Stream.of(
                Arguments.of(Map.of("ingress.listeners.smtps.enabled", true),
                        "ingress.listeners.smtps.enabled needs a certificate. Set ingress.tls.secretName"),
                Arguments.of(Map.of("kafka.bootstrapServers", ""),
                        "kafka.bootstrapServers is empty"),
                Arguments.of(Map.of("infinispan.hosts", ""),
                        "infinispan.hosts is empty"),
                Arguments.of(Map.of("bounce.replicas", 0),
                        "bounce.replicas is 0. Set it to 1 or more; to stop bounce, set bounce.enabled=false"),
                Arguments.of(Map.of("ingress.autoscaling.enabled", false, "ingress.replicas", 0),
                        "ingress.replicas is 0"),
                Arguments.of(Map.of("delivery.autoscaling.minReplicas", 0),
                        "delivery.autoscaling.minReplicas is 0"),
                Arguments.of(Map.of("delivery.autoscaling.maxReplicas", 1),
                        "delivery.autoscaling.maxReplicas (1) is below delivery.autoscaling.minReplicas (2)"),
                Arguments.of(Map.of("ingress.podDisruptionBudget.minAvailable", 2),
                        "ingress.podDisruptionBudget.minAvailable (2) is not below the ingress replica count (2)"),
                Arguments.of(Map.of("ingress.listeners.smtp.enabled", false, "ingress.listeners.submission.enabled", false),
                        "ingress has no listener"),
                Arguments.of(Map.of("ingress.listeners.submission.containerPort", 2525),
                        "ingress.listeners.submission.containerPort 2525 is already used"),
                Arguments.of(Map.of("ingress.service.type", "ClusterIP"),
                        "ingress.service.externalTrafficPolicy=Local needs a NodePort or LoadBalancer Service"),
                Arguments.of(Map.of("users.htpasswd", "a:b", "users.existingSecret", "smtp-users"),
                        "users.htpasswd and users.existingSecret are both set"),
                Arguments.of(Map.of("kafka.topics.enabled", true, "kafka.topics.minInsyncReplicas", 3, "kafka.topics.replicas", 1),
                        "kafka.topics.minInsyncReplicas (3) exceeds kafka.topics.replicas (1)"),
                Arguments.of(Map.of("kafka.topics.enabled", true, "kafka.topics.strimziCluster", ""),
                        "kafka.topics.enabled needs kafka.topics.strimziCluster"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidCombinations")
    void validateYamlRejectsInvalidCombinationsSayingWhatToChange(Map<String, Object> sets, String message) {
        assertThatThrownBy(() -> Chart.render(sets))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tern: " + message);
    }

    static Stream<Arguments> schemaViolations() {
        return Stream.of(
                Arguments.of(Map.of("ingress.replicas", "two"), "/ingress/replicas"),
                Arguments.of(Map.of("ingress.autoscaling.enabled", "yes"), "/ingress/autoscaling/enabled"),
                Arguments.of(Map.of("ingress.listeners.smtp.containerPort", 70000), "/ingress/listeners/smtp/containerPort"),
                Arguments.of(Map.of("ingress.service.type", "Ingress"), "/ingress/service/type"),
                Arguments.of(Map.of("delivery.podAntiAffinity", "sometimes"), "/delivery/podAntiAffinity"),
                Arguments.of(Map.of("ingress.replica", 3), "replica"),
                Arguments.of(Map.of("policy.retry[0]", "soon"), "/policy/retry/0"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("schemaViolations")
    void valuesSchemaRejectsWrongTypesAndUnknownKeys(Map<String, Object> sets, String where) {
        assertThatThrownBy(() -> Chart.render(sets))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(where);
    }
}
