package dev.tern.bounce.app;

import dev.tern.bounce.config.BounceConfig;
import dev.tern.bounce.consume.DurableRecords;
import dev.tern.common.config.TernConfig;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.queue.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The bounce consumers that run on the Kafka connector (docs/ARCHITECTURE.md, "Consumers"):
 * {@code tern.failed} → failure notices and suppression, {@code tern.feedback} → DSNs and complaint
 * reports sent to the bounce domain, {@code tern.events} → the message trace.
 * Channel names equal topic names; {@code application.properties} sets the connector's own
 * attributes (throttled commits, fail on nack, enabled with {@code tern.bounce.enabled}).
 *
 * <p>Each channel's Kafka client settings are a {@code kafka-configuration} bean built by
 * {@link KafkaClients#consumer} from the same {@code tern.kafka.*} settings and operator
 * properties (TLS, SASL) as every other Tern client, with today's group ids; a malformed operator
 * property fails the start naming its key ({@link KafkaClientProperties}).
 */
@ApplicationScoped
public class BounceChannels {

    /** The {@code kafka-configuration} bean of the {@code tern.failed} channel. */
    public static final String FAILED_CONFIG = "tern-bounce-failed";
    /** The {@code kafka-configuration} bean of the {@code tern.feedback} channel. */
    public static final String FEEDBACK_CONFIG = "tern-bounce-feedback";
    /** The {@code kafka-configuration} bean of the {@code tern.events} channel. */
    public static final String TRACE_CONFIG = "tern-bounce-trace";

    private final BounceService service;
    private final TernConfig tern;
    private final KafkaClientProperties kafkaProperties;
    private final BounceConfig config;
    private volatile boolean running = true;
    private DurableRecords failed;
    private DurableRecords traced;
    private DurableRecords feedback;

    public BounceChannels(BounceService service, TernConfig tern, KafkaClientProperties kafkaProperties,
            BounceConfig config) {
        this.service = service;
        this.tern = tern;
        this.kafkaProperties = kafkaProperties;
        this.config = config;
    }

    @Incoming(Topics.FAILED)
    @Blocking
    public CompletionStage<Void> failed(ConsumerRecord<String, byte[]> record) {
        return failedRecords().handle(record);
    }

    @Incoming(Topics.FEEDBACK)
    @Blocking
    public CompletionStage<Void> feedback(ConsumerRecord<String, byte[]> record) {
        return feedbackRecords().handle(record);
    }

    @Incoming(Topics.EVENTS)
    @Blocking
    public CompletionStage<Void> events(ConsumerRecord<String, byte[]> record) {
        return tracedRecords().handle(record);
    }

    private synchronized DurableRecords failedRecords() {
        if (failed == null) {
            failed = new DurableRecords(Topics.FAILED, service.failureHandler(), config.retryBackoff(), () -> running);
        }
        return failed;
    }

    private synchronized DurableRecords feedbackRecords() {
        if (feedback == null) {
            feedback = new DurableRecords(Topics.FEEDBACK, service.feedbackHandler(), config.retryBackoff(),
                    () -> running);
        }
        return feedback;
    }

    private synchronized DurableRecords tracedRecords() {
        if (traced == null) {
            traced = new DurableRecords(Topics.EVENTS, service.traceHandler(), config.retryBackoff(), () -> running);
        }
        return traced;
    }

    @Produces
    @Identifier(FAILED_CONFIG)
    Map<String, Object> failedConfig() {
        return consumer(config.groupId());
    }

    @Produces
    @Identifier(FEEDBACK_CONFIG)
    Map<String, Object> feedbackConfig() {
        return consumer(config.feedbackGroupId());
    }

    @Produces
    @Identifier(TRACE_CONFIG)
    Map<String, Object> traceConfig() {
        return consumer(config.traceGroupId());
    }

    /** Stops retrying failed work so the connector can nack it and close; the records stay uncommitted. */
    void stop(@Observes ShutdownEvent event) {
        running = false;
    }

    private Map<String, Object> consumer(String group) {
        var props = KafkaClients.consumer(tern.kafka().bootstrapServers(), kafkaProperties,
                tern.kafka().maxMessageBytes(), group, group + "-" + UUID.randomUUID().toString().substring(0, 8));
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxPollRecords()));
        var map = new HashMap<String, Object>();
        props.forEach((k, v) -> map.put((String) k, v));
        return map;
    }
}
