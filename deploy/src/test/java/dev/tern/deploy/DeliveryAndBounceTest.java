package dev.tern.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.tern.deploy.IngressTest.deployment;
import static dev.tern.deploy.IngressTest.named;
import static org.assertj.core.api.Assertions.assertThat;

/** The delivery and bounce services: scaling, disruption budgets, admin Services. */
class DeliveryAndBounceTest {

    @Test
    void deliveryScalesOnCpuWithABudget() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of()));

        assertThat(named(objects, HorizontalPodAutoscaler.class, "tern-delivery").getSpec().getMaxReplicas())
                .isEqualTo(12);
        assertThat(named(objects, PodDisruptionBudget.class, "tern-delivery").getSpec().getMinAvailable().getIntVal())
                .isEqualTo(1);
        assertThat(deployment(objects, "delivery").getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThanOrEqualTo(60);
    }

    @Test
    void deliveryAdminHttpIsHeadlessByDefaultAndClusterIpOnRequest() {
        Service headless = named(Chart.parse(Chart.render(Map.of())), Service.class, "tern-delivery-http");
        Service clusterIp = named(Chart.parse(Chart.render(Map.of("delivery.service.headless", false))),
                Service.class, "tern-delivery-http");

        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
        assertThat(headless.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "delivery");
        assertThat(clusterIp.getSpec().getClusterIP()).isNull();
    }

    @Test
    void deliveryCreatesTopicsOnlyWhenStrimziDoesNot() {
        Deployment own = deployment(Chart.parse(Chart.render(Map.of())), "delivery");
        Deployment strimzi = deployment(Chart.parse(Chart.render(Map.of("kafka.topics.enabled", true))), "delivery");

        assertThat(IngressTest.env(own)).containsEntry("TERN_DELIVERY_CREATE_TOPICS", "true")
                .containsEntry("TERN_KAFKA_PARTITIONS", "12")
                .containsEntry("TERN_KAFKA_REPLICATION_FACTOR", "3");
        assertThat(IngressTest.env(strimzi)).containsEntry("TERN_DELIVERY_CREATE_TOPICS", "false");
    }

    @Test
    void deliveryListsQuarantinedMailForAsLongAsTheTopicKeepsIt() {
        Deployment byDefault = deployment(Chart.parse(Chart.render(Map.of())), "delivery");
        Deployment week = deployment(Chart.parse(Chart.render(Map.of("kafka.topics.quarantineRetentionMs", 604800000))),
                "delivery");

        assertThat(IngressTest.env(byDefault)).containsEntry("TERN_QUARANTINE_RETENTION", "2592000000ms");
        assertThat(IngressTest.env(week)).containsEntry("TERN_QUARANTINE_RETENTION", "604800000ms");
    }

    @Test
    void bounceRunsWithoutHpaAndGetsTheDelayNoticeAge() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of("bounce.delayNoticeAfter", "2h")));

        assertThat(Chart.ofKind(objects, HorizontalPodAutoscaler.class))
                .noneSatisfy(h -> assertThat(h.getMetadata().getName()).isEqualTo("tern-bounce"));
        Deployment bounce = deployment(objects, "bounce");
        assertThat(bounce.getSpec().getReplicas()).isEqualTo(1);
        assertThat(IngressTest.env(bounce)).containsEntry("TERN_BOUNCE_DELAY_NOTICE_AFTER", "2h");
    }

    @Test
    void disabledComponentsLeaveNothingBehind() {
        List<HasMetadata> objects = Chart.parse(Chart.render(Map.of(
                "delivery.enabled", false, "bounce.enabled", false)));

        assertThat(objects)
                .filteredOn(o -> o.getMetadata().getLabels().containsKey("app.kubernetes.io/component"))
                .allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                        .containsEntry("app.kubernetes.io/component", "ingress"));
    }
}
