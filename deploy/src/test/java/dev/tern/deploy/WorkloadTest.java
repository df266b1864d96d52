package dev.tern.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What must hold for every Deployment in every supported install (see {@link Scenario}):
 * health probes, resources, a locked-down security context, helper-made labels and names,
 * and the shared wiring to Kafka, Infinispan and the policy file.
 */
class WorkloadTest {

    static Stream<Scenario> scenarios() {
        return Scenario.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void rendersOneDeploymentPerEnabledComponent(Scenario scenario) {
        List<Deployment> deployments = Chart.ofKind(scenario.objects(), Deployment.class);

        assertThat(deployments)
                .extracting(d -> d.getMetadata().getLabels().get("app.kubernetes.io/component"))
                .containsExactlyInAnyOrderElementsOf(scenario.components());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyDeploymentProbesQuarkusHealthOnPort8080(Scenario scenario) {
        for (Deployment d : Chart.ofKind(scenario.objects(), Deployment.class)) {
            Container c = container(d);
            assertThat(c.getPorts()).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).isEqualTo(8080);
            });
            assertHttpProbe(c.getReadinessProbe(), "/q/health/ready");
            assertHttpProbe(c.getLivenessProbe(), "/q/health/live");
            assertHttpProbe(c.getStartupProbe(), "/q/health/live");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyDeploymentRequestsCpuAndMemoryAndLimitsMemory(Scenario scenario) {
        for (Deployment d : Chart.ofKind(scenario.objects(), Deployment.class)) {
            var resources = container(d).getResources();
            assertThat(resources.getRequests()).as(d.getMetadata().getName()).containsKeys("cpu", "memory");
            assertThat(resources.getLimits()).as(d.getMetadata().getName()).containsKey("memory");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyDeploymentRunsNonRootReadOnlyWithoutCapabilities(Scenario scenario) {
        for (Deployment d : Chart.ofKind(scenario.objects(), Deployment.class)) {
            var pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            var sc = container(d).getSecurityContext();
            assertThat(sc.getRunAsNonRoot()).isTrue();
            assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
            assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
            assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(container(d).getVolumeMounts())
                    .as("a read-only root needs a writable /tmp")
                    .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyObjectCarriesTheHelperLabelsAndAShortName(Scenario scenario) {
        for (HasMetadata o : scenario.objects()) {
            assertThat(o.getMetadata().getName()).as(o.getKind()).hasSizeLessThanOrEqualTo(63).doesNotEndWith("-");
            assertThat(o.getMetadata().getLabels()).as(o.getKind() + " " + o.getMetadata().getName())
                    .containsEntry("app.kubernetes.io/name", "tern")
                    .containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
                    .containsEntry("app.kubernetes.io/managed-by", "Helm")
                    .containsEntry("app.kubernetes.io/part-of", "tern")
                    .containsKey("helm.sh/chart");
            o.getMetadata().getLabels().values().forEach(v -> assertThat(v).hasSizeLessThanOrEqualTo(63));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void namesStayUniqueWhenCutTo63Characters(Scenario scenario) {
        assertThat(scenario.objects()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void selectorsMatchOnlyTheirComponentsPods(Scenario scenario) {
        for (Deployment d : Chart.ofKind(scenario.objects(), Deployment.class)) {
            Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
            String component = d.getMetadata().getLabels().get("app.kubernetes.io/component");
            assertThat(selector)
                    .containsOnlyKeys("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component")
                    .containsEntry("app.kubernetes.io/component", component);
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
            assertThat(d.getMetadata().getName()).endsWith("-" + component);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyDeploymentFindsKafkaInfinispanAndThePolicy(Scenario scenario) {
        for (Deployment d : Chart.ofKind(scenario.objects(), Deployment.class)) {
            Map<String, String> env = container(d).getEnv().stream()
                    .filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
            assertThat(env).containsEntry("TERN_POLICY", "/etc/tern/policy.yaml")
                    .containsKeys("KAFKA_BOOTSTRAP_SERVERS", "TERN_INFINISPAN_HOSTS");
            assertThat(container(d).getVolumeMounts()).anySatisfy(m -> {
                assertThat(m.getMountPath()).isEqualTo("/etc/tern");
                assertThat(m.getSubPath()).as("subPath mounts never see ConfigMap updates").isNull();
            });
            var config = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getName().equals("config")).findFirst().orElseThrow();
            assertThat(config.getProjected().getSources()).anySatisfy(s ->
                    assertThat(s.getConfigMap().getItems()).singleElement()
                            .satisfies(i -> assertThat(i.getPath()).isEqualTo("policy.yaml")));
        }
    }

    static Container container(Deployment d) {
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe).as(path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }
}
