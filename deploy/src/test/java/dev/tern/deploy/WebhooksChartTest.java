package dev.tern.deploy;

import static dev.tern.deploy.IngressTest.named;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's part of delivery webhooks (docs/ARCHITECTURE.md, "Webhooks"): each webhook's signing
 * Secret is mounted as a file in every Tern pod (every service reads the policy, and so the files it
 * names), and only bounce may reach the endpoints, only on the listed ports.
 */
class WebhooksChartTest {

    private static final String VALUES = """
            webhookSecrets:
              crm: {secretName: crm-webhook, key: hmac}
            networkPolicy:
              egress:
                webhooks:
                  ports: [443]
                  to: [{ipBlock: {cidr: 203.0.113.0/24}}]
            policy:
              webhooks:
                - {name: crm, url: "https://hooks.example.com/tern", secret-file: /etc/tern-webhooks/crm/secret}
            """;

    @Test
    void theSecretOfEachWebhookIsAFileInEveryTernPod() {
        List<HasMetadata> objects = Chart.parse(Chart.renderValues(VALUES));
        for (Deployment d : Chart.ofKind(objects, Deployment.class)) {
            Map<String, VolumeMount> mounts = d.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts()
                    .stream().collect(Collectors.toMap(VolumeMount::getMountPath, m -> m));
            VolumeMount mount = mounts.get("/etc/tern-webhooks/crm");
            assertThat(mount).as(d.getMetadata().getName()).isNotNull();
            assertThat(mount.getReadOnly()).isTrue();
            assertThat(mount.getSubPath()).as("a subPath mount never sees a rotated Secret").isNull();
            Volume volume = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
            assertThat(volume.getSecret().getSecretName()).isEqualTo("crm-webhook");
            assertThat(volume.getSecret().getItems()).singleElement().satisfies(i -> {
                assertThat(i.getKey()).isEqualTo("hmac");
                assertThat(i.getPath()).isEqualTo("secret");
            });
        }
    }

    @Test
    void onlyBounceMayReachTheEndpointsAndOnlyWhenPortsAreListed() {
        List<HasMetadata> objects = Chart.parse(Chart.renderValues(VALUES));
        assertThat(webhookRules(named(objects, NetworkPolicy.class, "tern-bounce"))).singleElement().satisfies(r -> {
            assertThat(r.getTo()).singleElement().satisfies(p -> assertThat(p.getIpBlock().getCidr()).isEqualTo("203.0.113.0/24"));
        });
        assertThat(webhookRules(named(objects, NetworkPolicy.class, "tern-delivery"))).isEmpty();
        assertThat(webhookRules(named(objects, NetworkPolicy.class, "tern-ingress"))).isEmpty();

        List<HasMetadata> defaults = Chart.parse(Chart.render(Map.of()));
        assertThat(webhookRules(named(defaults, NetworkPolicy.class, "tern-bounce"))).as("no ports listed: no rule").isEmpty();
        for (Deployment d : Chart.ofKind(defaults, Deployment.class)) {
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
                    .noneMatch(m -> m.getMountPath().startsWith("/etc/tern-webhooks"));
        }
    }

    private static List<NetworkPolicyEgressRule> webhookRules(NetworkPolicy p) {
        return p.getSpec().getEgress().stream()
                .filter(r -> r.getPorts().stream().map(port -> port.getPort()).map(IntOrString::getIntVal)
                        .collect(Collectors.toSet()).equals(Set.of(443)))
                .toList();
    }
}
