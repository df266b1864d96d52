package dev.tern.deploy;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The SMTP ingress: ports, the public Service, TLS, PROXY protocol, draining and scaling. */
class IngressTest {

    private static final Map<String, Object> WITH_SMTPS =
            Map.of("ingress.tls.secretName", "mail-tls", "ingress.listeners.smtps.enabled", true);

    @Test
    void containerPortsMapToTheStandardSmtpPortsOnTheService() {
        List<HasMetadata> objects = Chart.parse(Chart.render(WITH_SMTPS));

        assertThat(WorkloadTest.container(deployment(objects, "ingress")).getPorts())
                .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("smtp", 2525),
                        org.assertj.core.groups.Tuple.tuple("submission", 2587),
                        org.assertj.core.groups.Tuple.tuple("smtps", 2465),
                        org.assertj.core.groups.Tuple.tuple("http", 8080));
        Service smtp = service(objects, "tern-ingress");
        assertThat(smtp.getSpec().getPorts())
                .extracting(ServicePort::getName, ServicePort::getPort, p -> p.getTargetPort().getStrVal())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("smtp", 25, "smtp"),
                        org.assertj.core.groups.Tuple.tuple("submission", 587, "submission"),
                        org.assertj.core.groups.Tuple.tuple("smtps", 465, "smtps"));
    }

    @Test
    void theProxyListenerGetsItsPortUpstreamAndMiltersAndIsOpenLikeTheSmtpPorts() {
        List<HasMetadata> objects = Chart.parse(Chart.renderValues("""
                ingress:
                  listeners:
                    proxy: {enabled: true, upstream: "smtp://mail.internal:25", upstreamTls: required, milters: [rspamd]}
                policy:
                  milters: [{name: rspamd, address: "inet:rspamd:11332"}]
                """));
        Deployment d = deployment(objects, "ingress");

        assertThat(WorkloadTest.container(d).getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                .contains(org.assertj.core.groups.Tuple.tuple("proxy", 2527));
        assertThat(env(d)).containsEntry("TERN_INGRESS_PROXY_LISTEN", "2527")
                .containsEntry("TERN_INGRESS_PROXY_UPSTREAM", "smtp://mail.internal:25")
                .containsEntry("TERN_INGRESS_PROXY_UPSTREAM_TLS", "required")
                .containsEntry("TERN_INGRESS_PROXY_MILTERS", "rspamd");
        assertThat(service(objects, "tern-ingress").getSpec().getPorts())
                .extracting(ServicePort::getName, ServicePort::getPort).contains(org.assertj.core.groups.Tuple.tuple("proxy", 2527));
        var policy = Chart.ofKind(objects, io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class).stream()
                .filter(n -> n.getMetadata().getName().equals("tern-ingress")).findFirst().orElseThrow();
        assertThat(policy.getSpec().getIngress()).flatExtracting(r -> r.getPorts())
                .extracting(p -> p.getPort().getIntVal()).contains(2527);
        assertThat(policy.getSpec().getEgress()).flatExtracting(r -> r.getPorts())
                .extracting(p -> p.getPort().getIntVal()).as("the upstream's port").contains(25);
        var mailPort = Chart.ofKind(Chart.parse(Chart.render(Map.of("ingress.listeners.proxy.enabled", true,
                "ingress.listeners.proxy.upstream", "smtp://mail.internal:2525"))),
                io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class).stream()
                .filter(n -> n.getMetadata().getName().equals("tern-ingress")).findFirst().orElseThrow();
        assertThat(mailPort.getSpec().getEgress()).flatExtracting(r -> r.getPorts())
                .extracting(p -> p.getPort().getIntVal()).contains(2525).doesNotContain(25);

        Map<String, String> off = env(deployment(Chart.parse(Chart.render(Map.of())), "ingress"));
        assertThat(off).as("off by default").doesNotContainKey("TERN_INGRESS_PROXY_LISTEN");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Chart.render(Map.of("ingress.listeners.proxy.enabled", true)))
                .hasMessageContaining("ingress.listeners.proxy.enabled needs ingress.listeners.proxy.upstream");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Chart.render(Map.of("ingress.listeners.proxy.enabled", true,
                "ingress.listeners.proxy.upstream", "smtp://x:25", "ingress.listeners.proxy.milters[0]", "clamav")))
                .hasMessageContaining("names clamav, which is not in policy.milters");
    }

    @Test
    void publicServiceIsALoadBalancerThatKeepsTheClientIp() {
        Service smtp = service(Chart.parse(Chart.render(Map.of())), "tern-ingress");

        assertThat(smtp.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(smtp.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
        assertThat(smtp.getSpec().getPorts()).extracting(ServicePort::getPort)
                .as("admin HTTP stays off the load balancer; smtps is off without a certificate")
                .containsExactlyInAnyOrder(25, 587);
    }

    @Test
    void adminHttpIsOnAnInClusterService() {
        Service http = service(Chart.parse(Chart.render(Map.of())), "tern-ingress-http");

        assertThat(http.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(http.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(8080);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
        });
    }

    @Test
    void localPresetUsesAClusterIpServiceWithoutTrafficPolicy() {
        Service smtp = service(Chart.parse(Chart.renderPreset("values-local.yaml", Map.of())), "tern-ingress");

        assertThat(smtp.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(smtp.getSpec().getExternalTrafficPolicy()).isNull();
    }

    @Test
    void tlsSecretIsMountedAtEtcTernTls() {
        Deployment d = deployment(Chart.parse(Chart.render(WITH_SMTPS)), "ingress");

        var sources = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("config")).findFirst().orElseThrow().getProjected().getSources();
        assertThat(sources).filteredOn(s -> s.getSecret() != null).anySatisfy(s -> {
            assertThat(s.getSecret().getName()).isEqualTo("mail-tls");
            assertThat(s.getSecret().getItems()).extracting(i -> i.getKey() + "->" + i.getPath())
                    .containsExactlyInAnyOrder("tls.crt->tls/tls.crt", "tls.key->tls/tls.key");
        });
        assertThat(env(d)).containsEntry("TERN_INGRESS_TLS_CERT_FILE", "/etc/tern/tls/tls.crt")
                .containsEntry("TERN_INGRESS_TLS_KEY_FILE", "/etc/tern/tls/tls.key")
                .containsEntry("TERN_INGRESS_SMTPS_PORT", "2465");
    }

    @Test
    void podListensOnAllInterfacesAndSwitchesDisabledListenersOff() {
        Map<String, String> env = env(deployment(Chart.parse(Chart.render(Map.of())), "ingress"));

        assertThat(env).containsEntry("TERN_INGRESS_BIND_ADDRESS", "0.0.0.0")
                .containsEntry("TERN_INGRESS_SMTP_PORT", "2525")
                .containsEntry("TERN_INGRESS_SUBMISSION_PORT", "2587")
                .as("port 0 disables smtps, which would otherwise bind privileged 465")
                .containsEntry("TERN_INGRESS_SMTPS_PORT", "0")
                .containsEntry("QUARKUS_HTTP_PORT", "8080");
    }

    @Test
    void drainsSmtpSessionsBeforeStopping() {
        Deployment d = deployment(Chart.parse(Chart.render(Map.of())), "ingress");

        assertThat(d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(60);
        assertThat(WorkloadTest.container(d).getLifecycle().getPreStop().getExec().getCommand())
                .containsExactly("sleep", "10");
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(env(d)).as("grace 60 s less preStop 10 s less 5 s margin")
                .containsEntry("TERN_INGRESS_DRAIN_TIMEOUT", "45s");
    }

    @Test
    void proxyProtocolIsPassedToThePodsAndTheLoadBalancerAnnotationKept() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of(
                "ingress.proxyProtocol.enabled", true,
                "ingress.service.externalTrafficPolicy", "Cluster",
                "ingress.service.annotations.service\\.beta\\.kubernetes\\.io/aws-load-balancer-proxy-protocol", "*")));

        assertThat(env(deployment(objects, "ingress"))).containsEntry("TERN_INGRESS_PROXY_PROTOCOL", "true");
        Service smtp = service(objects, "tern-ingress");
        assertThat(smtp.getMetadata().getAnnotations())
                .containsEntry("service.beta.kubernetes.io/aws-load-balancer-proxy-protocol", "*");
        assertThat(smtp.getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster");
    }

    @Test
    void scalesOnCpuAndKeepsOnePodThroughDisruptions() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of()));

        HorizontalPodAutoscaler hpa = named(objects, HorizontalPodAutoscaler.class, "tern-ingress");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("tern-ingress");
        assertThat(hpa.getSpec().getMetrics()).singleElement()
                .satisfies(m -> assertThat(m.getResource().getName()).isEqualTo("cpu"));
        assertThat(deployment(objects, "ingress").getSpec().getReplicas())
                .as("the HPA owns the replica count").isNull();
        PodDisruptionBudget pdb = named(objects, PodDisruptionBudget.class, "tern-ingress");
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", "ingress");
    }

    @Test
    void haPresetRunsThreeReplicasOnDistinctNodes() {
        List<HasMetadata> objects = Chart.parse(Chart.renderPreset("values-ha.yaml", Map.of()));

        assertThat(named(objects, HorizontalPodAutoscaler.class, "tern-ingress").getSpec().getMinReplicas())
                .isGreaterThanOrEqualTo(3);
        var antiAffinity = deployment(objects, "ingress").getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
        assertThat(antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution()).singleElement().satisfies(t -> {
            assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(t.getLabelSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "ingress");
        });
        assertThat(named(objects, PodDisruptionBudget.class, "tern-ingress").getSpec().getMinAvailable().getIntVal())
                .isEqualTo(2);
    }

    @Test
    void localPresetRunsOneReplicaWithoutHpaOrPdb() {
        List<HasMetadata> objects = Chart.parse(Chart.renderPreset("values-local.yaml", Map.of()));

        assertThat(Chart.ofKind(objects, HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(Chart.ofKind(objects, PodDisruptionBudget.class)).isEmpty();
        assertThat(Chart.ofKind(objects, Deployment.class))
                .allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(1));
    }

    @Test
    void imageIsComposedFromRegistryRepositoryAndTag() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of(
                "image.registry", "registry.example/mail", "ingress.image.tag", "1.2.3")));

        assertThat(WorkloadTest.container(deployment(objects, "ingress")).getImage())
                .isEqualTo("registry.example/mail/tern-ingress:1.2.3");
        assertThat(WorkloadTest.container(deployment(objects, "delivery")).getImage())
                .isEqualTo("registry.example/mail/tern-delivery:0.1.0");
    }

    static Deployment deployment(List<HasMetadata> objects, String component) {
        return named(objects, Deployment.class, "tern-" + component);
    }

    static Service service(List<HasMetadata> objects, String name) {
        return named(objects, Service.class, name);
    }

    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
        return Chart.ofKind(objects, type).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    static Map<String, String> env(Deployment d) {
        return WorkloadTest.container(d).getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
