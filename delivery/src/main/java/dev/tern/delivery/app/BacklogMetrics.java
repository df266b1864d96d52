package dev.tern.delivery.app;

import dev.tern.common.kafka.KafkaAdmin;
import dev.tern.common.policy.PolicyHolder;
import dev.tern.common.queue.Topics;
import dev.tern.delivery.config.DeliveryConfig;
import dev.tern.delivery.metrics.QueueBacklog;
import dev.tern.delivery.metrics.QueueHeads;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.config.TernConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps {@link QueueBacklog}'s gauges current for {@code tern.inbound} and every rung of the
 * policy's retry ladder in force, every {@code tern.delivery.backlog-refresh}, on a thread of its
 * own (the admin client blocks). A failed read leaves the last values and is logged at debug:
 * Kafka being down already shows on readiness.
 */
@ApplicationScoped
public class BacklogMetrics {

    private static final Logger LOG = Logger.getLogger(BacklogMetrics.class);

    private final KafkaAdmin kafka;
    private final DeliveryConfig config;
    private final PolicyHolder policy;
    private final MeterRegistry registry;
    private ScheduledExecutorService timer;
    private QueueHeads heads;

    private final TernConfig tern;

    public BacklogMetrics(KafkaAdmin kafka, DeliveryConfig config, PolicyHolder policy, MeterRegistry registry,
            TernConfig tern) {
        this.tern = tern;
        this.kafka = kafka;
        this.config = config;
        this.policy = policy;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        Duration every = config.backlogRefresh();
        if (!config.enabled() || every.isZero()) {
            return;
        }
        if (every.isNegative()) {
            throw new IllegalArgumentException("tern.delivery.backlog-refresh must not be negative");
        }
        heads = new QueueHeads(KafkaClients.consumer(tern.kafka().bootstrapServers(), kafka.clientProperties(),
                tern.kafka().maxMessageBytes(), config.groupId(), "tern-delivery-backlog-heads"));
        var backlog = new QueueBacklog(kafka.admin(), config.groupId(), registry, Clock.systemUTC(), heads);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tern-delivery-backlog");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                backlog.refresh(tiers());
            } catch (Exception e) {
                LOG.debugf("reading the queue backlog failed: %s", e.toString());
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private List<QueueBacklog.Tier> tiers() {
        var out = new ArrayList<QueueBacklog.Tier>();
        out.add(new QueueBacklog.Tier(Topics.INBOUND, Duration.ZERO));
        for (Duration delay : policy.current().retry()) {
            out.add(new QueueBacklog.Tier(Topics.retryTopic(delay), delay));
        }
        return out;
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
            try {
                // The consumer is the timer thread's; close it once that thread is done with it.
                timer.awaitTermination(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (heads != null) {
            heads.close();
        }
    }
}
