package dev.tern.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.tern.deploy.IngressTest.named;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resources the three services share: the policy ConfigMap, users Secret, ServiceAccount,
 * monitoring objects, Strimzi topics and the helm test hook.
 */
class SharedResourcesTest {

    @Test
    void policyConfigMapHoldsTheValuesPolicyAsValidYaml() {
        ConfigMap cm = named(Chart.parse(Chart.render(Map.of())), ConfigMap.class, "tern-policy");

        Map<String, Object> policy = Yaml.parse(cm.getData().get("policy.yaml"));
        Map<String, Object> values = Yaml.read(Chart.CHART.resolve("values.yaml"));
        assertThat(policy).isEqualTo(values.get("policy"));
        assertThat(policy).containsKeys("relay", "routes", "destinations", "retry", "max-queue-lifetime");
        assertThat(Yaml.list(policy.get("retry"))).containsExactly("1m", "5m", "30m", "2h", "6h");
    }

    @Test
    void policyFromAPresetWithRoutesStaysValidYaml() {
        ConfigMap cm = named(Chart.parse(Chart.render(Map.of(
                "policy.routes[0].match", "example.test",
                "policy.routes[0].via", "smtp://127.0.0.1:2526",
                "policy.destinations.gmail\\.com.mx-rollup", "*.google.com",
                "policy.destinations.gmail\\.com.rate", "50/s"))), ConfigMap.class, "tern-policy");

        Map<String, Object> policy = Yaml.parse(cm.getData().get("policy.yaml"));
        assertThat(Yaml.list(policy.get("routes"))).singleElement()
                .isEqualTo(Map.of("match", "example.test", "via", "smtp://127.0.0.1:2526"));
        assertThat(Yaml.at(policy, "destinations", "gmail.com", "mx-rollup")).isEqualTo("*.google.com");
    }

    @Test
    void policyFilesSitBesideThePolicyAndDnsServersReachEveryService() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of(
                "policyFiles.recipients\\.txt", "bob@example.org",
                "policy.relay.recipients", "recipients.txt",
                "dns.servers[0]", "10.0.0.10:53",
                "dns.servers[1]", "[fd00::a]:53")));

        ConfigMap cm = named(objects, ConfigMap.class, "tern-policy");
        assertThat(cm.getData()).containsEntry("recipients.txt", "bob@example.org");
        assertThat(Yaml.at(Yaml.parse(cm.getData().get("policy.yaml")), "relay", "recipients")).isEqualTo("recipients.txt");
        for (Deployment d : Chart.ofKind(objects, Deployment.class)) {
            assertThat(WorkloadTest.container(d).getEnv()).filteredOn(e -> e.getName().equals("TERN_DNS_SERVERS"))
                    .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo("10.0.0.10:53,[fd00::a]:53"));
        }
        assertThat(Chart.ofKind(Chart.parse(Chart.render(Map.of())), Deployment.class))
                .allSatisfy(d -> assertThat(WorkloadTest.container(d).getEnv())
                        .noneMatch(e -> e.getName().equals("TERN_DNS_SERVERS")));
    }

    @Test
    void inlineUsersBecomeASecretMountedBesideThePolicyAndNamedInIt() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of("users.htpasswd", "alice:$2y$05$hash")));

        Secret secret = named(objects, Secret.class, "tern-users");
        assertThat(secret.getStringData()).containsEntry("users.htpasswd", "alice:$2y$05$hash\n");
        Map<String, Object> policy = Yaml.parse(named(objects, ConfigMap.class, "tern-policy").getData().get("policy.yaml"));
        assertThat(Yaml.at(policy, "relay", "users-file")).isEqualTo("/etc/tern/users.htpasswd");
        for (Deployment d : Chart.ofKind(objects, Deployment.class)) {
            assertThat(projectedSecrets(d)).contains("tern-users");
        }
    }

    @Test
    void existingUsersSecretIsMountedWithoutCreatingOne() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of("users.existingSecret", "smtp-users")));

        assertThat(Chart.ofKind(objects, Secret.class)).isEmpty();
        assertThat(projectedSecrets(IngressTest.deployment(objects, "ingress"))).contains("smtp-users");
    }

    @Test
    void dkimKeysAreMountedReadOnlyInEveryPodOnlyWhenASecretIsNamed() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of("dkim.existingSecret", "tern-dkim-keys")));
        for (Deployment d : Chart.ofKind(objects, Deployment.class)) {
            var pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("dkim")).singleElement()
                    .satisfies(v -> {
                        assertThat(v.getSecret().getSecretName()).isEqualTo("tern-dkim-keys");
                        assertThat(v.getSecret().getDefaultMode()).isEqualTo(0440);
                    });
            assertThat(WorkloadTest.container(d).getVolumeMounts()).filteredOn(m -> m.getName().equals("dkim"))
                    .singleElement().satisfies(m -> {
                        assertThat(m.getMountPath()).isEqualTo("/etc/tern-dkim");
                        assertThat(m.getReadOnly()).isTrue();
                    });
        }
        assertThat(Chart.ofKind(Chart.parse(Chart.render(Map.of())), Deployment.class)).allSatisfy(d ->
                assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).noneMatch(v -> v.getName().equals("dkim")));
    }

    @Test
    void podsRunAsTheChartsServiceAccount() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of()));

        ServiceAccount sa = named(objects, ServiceAccount.class, "tern");
        assertThat(sa.getAutomountServiceAccountToken()).isFalse();
        assertThat(Chart.ofKind(objects, Deployment.class))
                .allSatisfy(d -> assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("tern"));
    }

    @Test
    void infinispanCredentialsComeFromTheNamedSecret() {
        Deployment d = IngressTest.deployment(Chart.parse(Chart.render(Map.of(
                "infinispan.credentials.secretName", "tern-infinispan-generated-secret"))), "delivery");

        assertThat(WorkloadTest.container(d).getEnv())
                .filteredOn(e -> e.getName().startsWith("TERN_INFINISPAN_") && e.getValueFrom() != null)
                .extracting(e -> e.getName() + "=" + e.getValueFrom().getSecretKeyRef().getName())
                .containsExactlyInAnyOrder(
                        "TERN_INFINISPAN_USERNAME=tern-infinispan-generated-secret",
                        "TERN_INFINISPAN_PASSWORD=tern-infinispan-generated-secret");
    }

    @Test
    void monitoringObjectsAreOffByDefault() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of()));

        assertThat(objects).extracting(HasMetadata::getKind)
                .doesNotContain("ServiceMonitor", "PrometheusRule", "KafkaTopic");
        assertThat(Chart.ofKind(objects, ConfigMap.class)).extracting(c -> c.getMetadata().getName())
                .containsExactly("tern-policy");
    }

    @Test
    void serviceMonitorScrapesQuarkusMetricsOfEveryComponent() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of(
                "monitoring.serviceMonitor.enabled", true, "monitoring.serviceMonitor.labels.release", "prom")));

        GenericKubernetesResource sm = generic(objects, "ServiceMonitor").get(0);
        assertThat(sm.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(sm.getMetadata().getLabels()).containsEntry("release", "prom");
        Map<String, Object> spec = Yaml.map(sm.getAdditionalProperties().get("spec"));
        Map<String, Object> matchLabels = Yaml.map(Yaml.at(spec, "selector", "matchLabels"));
        assertThat(matchLabels).containsEntry("tern.dev/metrics", "true");
        assertThat(Yaml.list(spec.get("endpoints"))).singleElement()
                .satisfies(e -> assertThat(Yaml.map(e)).containsEntry("port", "http").containsEntry("path", "/q/metrics"));
        assertThat(Chart.ofKind(objects, io.fabric8.kubernetes.api.model.Service.class))
                .filteredOn(s -> "true".equals(s.getMetadata().getLabels().get("tern.dev/metrics")))
                .extracting(s -> s.getMetadata().getLabels().get("app.kubernetes.io/component"))
                .containsExactlyInAnyOrder("ingress", "delivery", "bounce");
    }

    @Test
    void prometheusRuleCarriesTheRulesFile() {
        GenericKubernetesResource rule = generic(Chart.parse(Chart.render(Map.of(
                "monitoring.prometheusRule.enabled", true))), "PrometheusRule").get(0);

        Map<String, Object> rulesFile = Yaml.read(Chart.MODULE.resolve("prometheus/tern-rules.yaml"));
        assertThat(rule.getAdditionalProperties().get("spec")).isEqualTo(rulesFile);
    }

    @Test
    void grafanaDashboardsShipAsSidecarConfigMaps() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of("monitoring.grafanaDashboards.enabled", true)));

        assertThat(Chart.ofKind(objects, ConfigMap.class))
                .filteredOn(c -> "1".equals(c.getMetadata().getLabels().get("grafana_dashboard")))
                .flatExtracting(c -> List.copyOf(c.getData().keySet()))
                .contains("tern-overview.json");
    }

    @Test
    void strimziTopicsCoverEveryTernTopicWithDurableSettings() {
        List<GenericKubernetesResource> topics = generic(Chart.parse(Chart.render(Map.of(
                "kafka.topics.enabled", true))), "KafkaTopic");

        assertThat(topics).extracting(t -> (String) Yaml.at(t.getAdditionalProperties(), "spec", "topicName"))
                .containsExactly("tern.inbound", "tern.retry.1m", "tern.retry.5m", "tern.retry.30m",
                        "tern.retry.2h", "tern.retry.6h", "tern.failed", "tern.events", "tern.control",
                        "tern.quarantine", "tern.feedback");
        for (GenericKubernetesResource t : topics) {
            Map<String, Object> spec = Yaml.map(t.getAdditionalProperties().get("spec"));
            assertThat(t.getApiVersion()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "tern");
            assertThat(spec).containsEntry("replicas", 3);
            assertThat(Yaml.map(spec.get("config")))
                    .containsEntry("min.insync.replicas", 2)
                    .containsEntry("max.message.bytes", 52428800)
                    .containsEntry("unclean.leader.election.enable", false);
            boolean control = spec.get("topicName").equals("tern.control");
            assertThat(spec).containsEntry("partitions", control ? 1 : 12);
            boolean quarantine = spec.get("topicName").equals("tern.quarantine");
            // Operator orders are state: compacted, never aged out; queues are deleted by retention;
            // held mail is both: a tombstone releases or deletes one message, retention ages out the rest.
            assertThat(Yaml.map(spec.get("config")).get("cleanup.policy"))
                    .isEqualTo(control ? "compact" : quarantine ? "compact,delete" : null);
            if (quarantine) {
                assertThat(Yaml.map(spec.get("config"))).containsEntry("retention.ms", 2592000000L);
            }
        }
    }

    @Test
    void retryTopicsFollowThePolicyLadder() {
        List<GenericKubernetesResource> topics = generic(Chart.parse(Chart.render(Map.of(
                "kafka.topics.enabled", true, "policy.retry[0]", "2m", "policy.retry[1]", "1h"))), "KafkaTopic");

        assertThat(topics).extracting(t -> (String) Yaml.at(t.getAdditionalProperties(), "spec", "topicName"))
                .filteredOn(n -> n.startsWith("tern.retry."))
                .containsExactly("tern.retry.2m", "tern.retry.1h");
    }

    @Test
    void helmTestSendsOneMessageToTheIngressSmtpPort() {
        Pod pod = named(Chart.parse(Chart.renderWithTestHooks(Map.of("tests.image.repository", "example/swaks",
                "tests.image.tag", "v20240103"))), Pod.class, "tern-test-send");

        assertThat(pod.getMetadata().getAnnotations()).containsEntry("tern.dev/test-hook", "test");
        var container = pod.getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("example/swaks:v20240103");
        assertThat(container.getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
                .contains("SMTP_HOST=tern-ingress", "SMTP_PORT=25", "RCPT_TO=postmaster@example.org");
        assertThat(String.join("\n", container.getCommand())).contains("swaks", "nc ");
        assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    }

    private static List<String> projectedSecrets(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getProjected() != null)
                .flatMap(v -> v.getProjected().getSources().stream())
                .filter(s -> s.getSecret() != null)
                .map(s -> s.getSecret().getName())
                .toList();
    }

    private static List<GenericKubernetesResource> generic(List<HasMetadata> objects, String kind) {
        List<GenericKubernetesResource> found = Chart.generic(objects, kind);
        assertThat(found).as(kind).isNotEmpty();
        return found;
    }
}
