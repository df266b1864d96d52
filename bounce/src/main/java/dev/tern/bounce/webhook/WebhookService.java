package dev.tern.bounce.webhook;

import dev.tern.bounce.config.BounceConfig;
import dev.tern.common.config.TernConfig;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.policy.PolicyHolder;
import dev.tern.common.policy.Webhook;
import dev.tern.common.queue.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Runs the policy's {@code webhooks:} in the bounce service (docs/ARCHITECTURE.md, "Webhooks"):
 * starts one consumer of {@code tern.events} per endpoint at start-up and follows live policy
 * reloads. Off when {@code tern.bounce.enabled=false}, like the bounce consumers. Start-up does not
 * wait for Kafka or the endpoints.
 */
@ApplicationScoped
public class WebhookService {

    private final TernConfig tern;
    private final KafkaClientProperties kafkaProperties;
    private final BounceConfig config;
    private final PolicyHolder policy;
    private final MeterRegistry registry;
    private WebhookEndpoints endpoints;

    public WebhookService(TernConfig tern, KafkaClientProperties kafkaProperties, BounceConfig config,
            PolicyHolder policy, MeterRegistry registry) {
        this.tern = tern;
        this.kafkaProperties = kafkaProperties;
        this.config = config;
        this.policy = policy;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        endpoints = new WebhookEndpoints(Topics.EVENTS, this::consumer, registry, Clock.systemUTC());
        endpoints.apply(policy.current().webhooks());
        policy.watcher().onChange(p -> endpoints.apply(p.webhooks()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (endpoints != null) {
            endpoints.close();
        }
    }

    private KafkaConsumer<String, byte[]> consumer(Webhook w) {
        String group = WebhookEndpoints.groupId(w.name());
        var props = KafkaClients.consumer(tern.kafka().bootstrapServers(), kafkaProperties,
                tern.kafka().maxMessageBytes(), group, group + "-" + UUID.randomUUID().toString().substring(0, 8));
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(w.batchSize()));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, w.startAtEnd() ? "latest" : "earliest");
        return new KafkaConsumer<>(props);
    }
}
