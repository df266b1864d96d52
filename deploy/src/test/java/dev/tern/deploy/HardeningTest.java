package dev.tern.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.tern.deploy.IngressTest.named;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's hardening: every pod passes the restricted Pod Security Standard, every Tern pod
 * is selected by a NetworkPolicy that opens only SMTP to the world and only the listed peers to
 * the HTTP port, and Secrets reach the services as the documented files and variables.
 */
class HardeningTest {

    static Stream<Scenario> scenarios() {
        return Scenario.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyWorkloadPassesTheRestrictedPodSecurityStandard(Scenario scenario) {
        for (Deployment d : Chart.ofKind(scenario.objects(), Deployment.class)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertThat(PodSecurityRestricted.violations(pod)).as(d.getMetadata().getName()).isEmpty();
            assertThat(pod.getAutomountServiceAccountToken()).as(d.getMetadata().getName()).isFalse();
            assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        }
    }

    @Test
    void theHelmTestPodPassesTheRestrictedPodSecurityStandardToo() {
        Pod pod = named(Chart.parse(Chart.renderWithTestHooks(Map.of())), Pod.class, "tern-test-send");
        assertThat(PodSecurityRestricted.violations(pod.getSpec())).isEmpty();
    }

    @Test
    void theCheckerRefusesWhatRestrictedRefuses() {
        Deployment d = named(Chart.parse(Chart.render(Map.of())), Deployment.class, "tern-delivery");
        PodSpec pod = Serialization.clone(d.getSpec().getTemplate().getSpec());
        pod.getSecurityContext().setSeccompProfile(null);
        Container c = pod.getContainers().get(0);
        c.getSecurityContext().setSeccompProfile(null);
        c.getSecurityContext().setAllowPrivilegeEscalation(null);
        c.getSecurityContext().getCapabilities().setDrop(List.of("NET_RAW"));
        c.getSecurityContext().getCapabilities().setAdd(List.of("SYS_ADMIN"));
        pod.getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("host")
                .withNewHostPath().withPath("/var").endHostPath().build());
        pod.setHostNetwork(true);

        assertThat(PodSecurityRestricted.violations(pod)).hasSize(6).anySatisfy(v -> assertThat(v).contains("seccompProfile"))
                .anySatisfy(v -> assertThat(v).contains("allowPrivilegeEscalation"))
                .anySatisfy(v -> assertThat(v).contains("drop must contain ALL"))
                .anySatisfy(v -> assertThat(v).contains("SYS_ADMIN"))
                .anySatisfy(v -> assertThat(v).contains("hostPath"))
                .anySatisfy(v -> assertThat(v).contains("host namespaces"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyTernPodIsSelectedByItsOwnIngressAndEgressPolicy(Scenario scenario) {
        List<HasMetadata> objects = scenario.objects();
        List<NetworkPolicy> policies = Chart.ofKind(objects, NetworkPolicy.class);
        for (Deployment d : Chart.ofKind(objects, Deployment.class)) {
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            List<NetworkPolicy> selecting = policies.stream()
                    .filter(p -> labels.entrySet().containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet()))
                    .toList();
            assertThat(selecting).as(d.getMetadata().getName()).singleElement()
                    .satisfies(p -> assertThat(p.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress"))
                    .satisfies(p -> assertThat(p.getMetadata().getName()).isEqualTo(d.getMetadata().getName()));
        }
        assertThat(policies).hasSameSizeAs(Chart.ofKind(objects, Deployment.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void onlySmtpIsOpenToEveryoneAndEveryRuleNamesItsPorts(Scenario scenario) {
        for (NetworkPolicy p : Chart.ofKind(scenario.objects(), NetworkPolicy.class)) {
            String name = p.getMetadata().getName();
            for (NetworkPolicyIngressRule rule : p.getSpec().getIngress()) {
                assertThat(rule.getPorts()).as(name + ": a rule without ports opens every port").isNotEmpty();
                if (ports(rule.getPorts()).contains(8080)) {
                    assertThat(rule.getFrom()).as(name + ": the HTTP port is for the listed peers only").isNotEmpty();
                } else {
                    assertThat(p.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "ingress");
                    assertThat(ports(rule.getPorts())).isSubsetOf(2525, 2587, 2465);
                }
            }
            for (NetworkPolicyEgressRule rule : p.getSpec().getEgress()) {
                assertThat(rule.getPorts()).as(name + ": an egress rule without ports opens every port").isNotEmpty();
            }
        }
    }

    @Test
    void onlyDeliverySendsSmtpAndTheHttpPortClosesWhenNoPeerIsListed() {
        List<HasMetadata> objects = Chart.parse(Chart.renderValues("networkPolicy: {httpFrom: []}"));
        Set<Integer> deliveryEgress = egressPorts(named(objects, NetworkPolicy.class, "tern-delivery"));
        assertThat(deliveryEgress).contains(25, 465, 587, 9092, 11222, 53);
        assertThat(egressPorts(named(objects, NetworkPolicy.class, "tern-ingress"))).doesNotContain(25, 465, 587);
        assertThat(egressPorts(named(objects, NetworkPolicy.class, "tern-bounce"))).doesNotContain(25, 465, 587);

        assertThat(named(objects, NetworkPolicy.class, "tern-bounce").getSpec().getIngress()).isEmpty();
        assertThat(named(objects, NetworkPolicy.class, "tern-ingress").getSpec().getIngress())
                .allSatisfy(r -> assertThat(ports(r.getPorts())).doesNotContain(8080));

        assertThat(Chart.ofKind(Chart.parse(Chart.render(Map.of("networkPolicy.enabled", false))), NetworkPolicy.class)).isEmpty();
    }

    @Test
    void securedBackendsReachEveryServiceAsSecretFilesAndVariables() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Scenario.SECURED));
        for (Deployment d : Chart.ofKind(objects, Deployment.class)) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, EnvVar> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
            assertThat(env.get("TERN_KAFKA_PROPERTIES_SECURITY_PROTOCOL").getValue()).isEqualTo("SASL_SSL");
            assertThat(env.get("TERN_KAFKA_PROPERTIES_SASL_MECHANISM").getValue()).isEqualTo("SCRAM-SHA-512");
            assertThat(env.get("TERN_KAFKA_PROPERTIES_SASL_JAAS_CONFIG").getValueFrom().getSecretKeyRef().getName())
                    .isEqualTo("tern-kafka-user");
            assertThat(env.get("TERN_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION").getValue()).isEqualTo("/etc/tern-kafka/ca/ca.crt");
            assertThat(env.get("TERN_KAFKA_PROPERTIES_SSL_TRUSTSTORE_TYPE").getValue()).isEqualTo("PEM");
            assertThat(env.get("TERN_KAFKA_PROPERTIES_SSL_KEYSTORE_LOCATION").getValue()).isEqualTo("/etc/tern-kafka/user/user.p12");
            assertThat(env.get("TERN_KAFKA_PROPERTIES_SSL_KEYSTORE_PASSWORD").getValueFrom().getSecretKeyRef().getKey())
                    .isEqualTo("user.password");
            assertThat(env.get("TERN_INFINISPAN_TLS_ENABLED").getValue()).isEqualTo("true");
            assertThat(env.get("TERN_INFINISPAN_TLS_TRUSTSTORE").getValue()).isEqualTo("/etc/tern-infinispan/tls.crt");
            assertThat(env.get("TERN_INFINISPAN_SASL_MECHANISM").getValue()).isEqualTo("SCRAM-SHA-512");
            assertThat(env.get("TERN_INFINISPAN_PASSWORD").getValueFrom().getSecretKeyRef().getName())
                    .isEqualTo("tern-infinispan-credentials");
            assertThat(env.get("TERN_ADMIN_TOKENS_FILE").getValue()).isEqualTo("/etc/tern-admin/tokens");

            Map<String, String> mounts = c.getVolumeMounts().stream()
                    .peek(m -> assertThat(m.getSubPath()).as("a subPath mount never sees a rotated Secret").isNull())
                    .collect(Collectors.toMap(m -> m.getMountPath(), m -> m.getName()));
            assertThat(mounts).containsKeys("/etc/tern-kafka/ca", "/etc/tern-kafka/user", "/etc/tern-infinispan",
                    "/etc/tern-admin", "/etc/tern-relay/isp");
            Map<String, Volume> volumes = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .collect(Collectors.toMap(Volume::getName, v -> v));
            assertThat(volumes.get(mounts.get("/etc/tern-relay/isp")).getSecret().getSecretName()).isEqualTo("isp-relay");
            assertThat(volumes.get(mounts.get("/etc/tern-relay/isp")).getSecret().getItems())
                    .singleElement().satisfies(i -> assertThat(i.getPath()).isEqualTo("password"));
            assertThat(volumes.get(mounts.get("/etc/tern-admin")).getSecret().getSecretName()).isEqualTo("tern-admin-tokens");
        }
    }

    @Test
    void withoutSecuritySettingsNoSecretIsMountedOrNamed() {
        for (Deployment d : Chart.ofKind(Chart.parse(Chart.render(Map.of())), Deployment.class)) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getEnv()).extracting(EnvVar::getName)
                    .noneMatch(n -> n.startsWith("TERN_KAFKA_PROPERTIES_") || n.startsWith("TERN_INFINISPAN_TLS")
                            || n.equals("TERN_ADMIN_TOKENS_FILE"));
            assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactlyInAnyOrder("/etc/tern", "/tmp");
        }
    }

    @Test
    void theStrimziExampleRendersHardenedAndItsUserMayUseEveryTernTopicAndGroup() throws Exception {
        Path example = Chart.MODULE.resolve("examples/strimzi");
        List<HasMetadata> objects = Chart.parse(Chart.renderValues(Files.readString(example.resolve("values-secured.yaml"))));
        Map<String, Object> user = Yaml.read(example.resolve("kafka-user.yaml"));
        for (Deployment d : Chart.ofKind(objects, Deployment.class)) {
            assertThat(PodSecurityRestricted.violations(d.getSpec().getTemplate().getSpec())).isEmpty();
            EnvVar jaas = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getName().equals("TERN_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")).findFirst().orElseThrow();
            assertThat(jaas.getValueFrom().getSecretKeyRef().getName()).isEqualTo(Yaml.at(user, "metadata", "name"));
        }
        List<Object> acls = Yaml.list(Yaml.at(user, "spec", "authorization", "acls"));
        assertThat(acls).anySatisfy(acl -> {
            assertThat(Yaml.at(Yaml.map(acl), "resource")).isEqualTo(Map.of("type", "topic", "name", "tern.", "patternType", "prefix"));
            assertThat(Yaml.list(Yaml.map(acl).get("operations"))).contains("Read", "Write", "Describe", "Create");
        });
        // the consumer groups' defaults: tern-delivery, tern-bounce, tern-bounce-delay
        assertThat(acls).anySatisfy(acl -> {
            assertThat(Yaml.at(Yaml.map(acl), "resource")).isEqualTo(Map.of("type", "group", "name", "tern-", "patternType", "prefix"));
            assertThat(Yaml.list(Yaml.map(acl).get("operations"))).contains("Read", "Describe");
        });
    }

    private static Set<Integer> egressPorts(NetworkPolicy p) {
        return p.getSpec().getEgress().stream().flatMap(r -> ports(r.getPorts()).stream()).collect(Collectors.toSet());
    }

    private static List<Integer> ports(List<NetworkPolicyPort> ports) {
        return ports.stream().map(NetworkPolicyPort::getPort).map(IntOrString::getIntVal).toList();
    }
}
