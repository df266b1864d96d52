package dev.tern.common.health;

import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.common.kafka.KafkaAdmin;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready} is UP only while both Kafka and Infinispan answer (DESIGN.md
 * "Observability"): a pod that cannot reach the queue must not receive traffic.
 */
@Readiness
@ApplicationScoped
public class BackendsReadiness implements HealthCheck {

    private static final long TIMEOUT_MS = 2000;

    private final KafkaAdmin kafka;
    private final InfinispanClient infinispan;

    public BackendsReadiness(KafkaAdmin kafka, InfinispanClient infinispan) {
        this.kafka = kafka;
        this.infinispan = infinispan;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("tern-backends");
        boolean up = true;
        try {
            b.withData("kafka-brokers", kafka.liveBrokers(TIMEOUT_MS));
        } catch (Exception e) {
            up = false;
            b.withData("kafka", "unreachable: " + e.getClass().getSimpleName());
        }
        if (infinispan.ping()) {
            b.withData("infinispan", "up");
        } else {
            up = false;
            b.withData("infinispan", "unreachable");
        }
        return b.status(up).build();
    }
}
