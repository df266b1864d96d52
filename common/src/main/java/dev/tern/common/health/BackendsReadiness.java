package dev.tern.common.health;

import dev.tern.common.config.TernConfig;
import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.common.kafka.KafkaAdmin;
import dev.tern.common.kafka.KafkaAuthFailures;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready} is UP only while Kafka answers, and Infinispan too where the service
 * keeps state there (docs/ARCHITECTURE.md, "Observability"): a pod that cannot reach the queue must not
 * receive traffic. Ingress keeps nothing in Infinispan ({@code tern.infinispan.required-for-readiness=false}),
 * so an Infinispan outage leaves it accepting mail; delivery falls back to local limits meanwhile.
 */
@Readiness
@ApplicationScoped
public class BackendsReadiness implements HealthCheck {

    private static final long TIMEOUT_MS = 2000;

    private final KafkaAdmin kafka;
    private final InfinispanClient infinispan;
    private final boolean infinispanRequired;

    public BackendsReadiness(KafkaAdmin kafka, InfinispanClient infinispan, TernConfig config) {
        this.kafka = kafka;
        this.infinispan = infinispan;
        this.infinispanRequired = config.infinispan().requiredForReadiness();
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("tern-backends");
        boolean up = true;
        try {
            b.withData("kafka-brokers", kafka.liveBrokers(TIMEOUT_MS));
        } catch (Exception e) {
            up = false;
            b.withData("kafka", KafkaAuthFailures.report(e) ? "authentication failed"
                    : "unreachable: " + e.getClass().getSimpleName());
        }
        if (!infinispanRequired) {
            b.withData("infinispan", "not used");
        } else if (infinispan.ping()) {
            b.withData("infinispan", "up");
        } else {
            up = false;
            b.withData("infinispan", String.valueOf(infinispan.lastProblem()));
        }
        return b.status(up).build();
    }
}
