package dev.tern.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One way an operator installs the chart: a values preset plus --set pairs, and the
 * components that must then be running. Tests that hold for every install run over
 * {@link #all()}.
 */
record Scenario(String name, String valuesFile, Map<String, Object> sets, Set<String> components) {

    static final Set<String> ALL = Set.of("ingress", "delivery", "bounce");

    /** Kafka over SASL_SSL and mTLS, Infinispan over TLS with SCRAM, admin tokens, a smarthost password: every Secret the chart can mount. */
    static final Map<String, Object> SECURED = Map.ofEntries(
            Map.entry("kafka.security.properties.security\\.protocol", "SASL_SSL"),
            Map.entry("kafka.security.properties.sasl\\.mechanism", "SCRAM-SHA-512"),
            Map.entry("kafka.security.saslSecret.name", "tern-kafka-user"),
            Map.entry("kafka.security.caSecret.name", "tern-cluster-ca-cert"),
            Map.entry("kafka.security.clientSecret.name", "tern-kafka-tls-user"),
            Map.entry("infinispan.credentials.secretName", "tern-infinispan-credentials"),
            Map.entry("infinispan.saslMechanism", "SCRAM-SHA-512"),
            Map.entry("infinispan.tls.enabled", true),
            Map.entry("infinispan.tls.caSecret.name", "tern-infinispan-cert-secret"),
            Map.entry("admin.tokensSecret.name", "tern-admin-tokens"),
            Map.entry("relayCredentials.isp.secretName", "isp-relay"),
            Map.entry("relayCredentials.isp.key", "password"));

    static Stream<Scenario> all() {
        return Stream.of(
                new Scenario("defaults", null, Map.of(), ALL),
                new Scenario("values-local", "values-local.yaml", Map.of(), ALL),
                new Scenario("values-ha with smtps", "values-ha.yaml",
                        Map.of("ingress.tls.secretName", "mail-tls", "ingress.listeners.smtps.enabled", true,
                                "users.htpasswd", "alice:$2y$05$abcdefghijklmnopqrstuv"), ALL),
                new Scenario("ingress only", null,
                        Map.of("delivery.enabled", false, "bounce.enabled", false), Set.of("ingress")),
                new Scenario("delivery only", null,
                        Map.of("ingress.enabled", false, "bounce.enabled", false), Set.of("delivery")),
                new Scenario("bounce only", null,
                        Map.of("ingress.enabled", false, "delivery.enabled", false), Set.of("bounce")),
                new Scenario("secured backends", null, SECURED, ALL),
                new Scenario("long release name", null,
                        Map.of("fullnameOverride", "a-release-name-that-is-much-too-long-for-kubernetes-names-xyz"), ALL));
    }

    String render() {
        return valuesFile == null ? Chart.render(sets) : Chart.renderPreset(valuesFile, sets);
    }

    List<HasMetadata> objects() {
        return Chart.parse(render());
    }

    @Override
    public String toString() {
        return name;
    }
}
