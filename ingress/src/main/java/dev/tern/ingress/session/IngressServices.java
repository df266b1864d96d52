package dev.tern.ingress.session;

import dev.tern.common.policy.Policy;
import dev.tern.common.policy.UsersFile;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.milter.MilterChain;
import dev.tern.ingress.queue.KafkaPublisher;
import dev.tern.ingress.trust.EdgeChecks;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What every SMTP session of one ingress process shares: the policy and users file in force
 * (read per decision, so a reload applies to the next command), the Kafka publisher, metrics, the
 * executor for blocking or CPU-heavy work, the edge checks and the content-filter milters.
 */
public record IngressServices(Supplier<Policy> policy, Supplier<UsersFile> users, KafkaPublisher publisher,
        IngressMetrics metrics, Executor blocking, EdgeChecks checks, MilterChain milters) {
}
