package dev.tern.ingress.queue;

import dev.tern.common.config.TernConfig;
import dev.tern.common.event.AcceptedEvent;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.kafka.KafkaSends;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Topics;
import dev.tern.ingress.config.IngressConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Puts accepted messages on {@code tern.inbound} (or, held by a content filter, on {@code tern.quarantine};
 * addressed to the bounce domain, on {@code tern.feedback}). The returned stage completes only when every
 * in-sync replica has the record ({@code acks=all}, idempotent producer), or fails — with a
 * {@link TimeoutException} after {@code tern.ingress.kafka-ack-timeout}. The SMTP layer says 250
 * on success and 451 4.3.0 on failure, so a 250 always means "in Kafka".
 *
 * <p>{@code delivery.timeout.ms} is set to the ack timeout, so a record we stopped waiting for is
 * also abandoned by the producer instead of being written late: the client retries after our 451
 * and we must not add a copy behind its back. Thread-safe.
 */
@ApplicationScoped
public class KafkaPublisher {

    private static final Logger LOG = Logger.getLogger(KafkaPublisher.class);
    static final int ACCEPTED_BACKLOG = 10_000;

    private final KafkaProducer<String, byte[]> producer;
    private final Duration ackTimeout;
    private final Timer publishTimer;
    private final Counter acceptedEventsLost;
    /** One thread, bounded backlog: trace records never compete with mail for the blocking pool. */
    private final ThreadPoolExecutor acceptedSender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(ACCEPTED_BACKLOG), r -> {
                var t = new Thread(r, "tern-ingress-accepted-events");
                t.setDaemon(true);
                return t;
            });

    public KafkaPublisher(TernConfig tern, KafkaClientProperties kafkaProperties, IngressConfig config,
            MeterRegistry registry) {
        this.ackTimeout = config.kafkaAckTimeout();
        var props = KafkaClients.producer(tern.kafka().bootstrapServers(), kafkaProperties, config.limits().maxMessageBytes(),
                "tern-ingress");
        long ms = ackTimeout.toMillis();
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1000, ms - 1)));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1001, ms)));
        // send() blocks while metadata is unknown (broker down): bound that wait too.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.max(1000, ms)));
        this.producer = new KafkaProducer<>(props);
        this.publishTimer = Timer.builder("tern.ingress.kafka.publish")
                .description("Time from end of data to Kafka acknowledgement")
                .publishPercentileHistogram()
                .register(registry);
        this.acceptedEventsLost = Counter.builder("tern.ingress.accepted.events.lost")
                .description("Accepted-message events (message trace) not written to tern.events")
                .register(registry);
    }

    /**
     * Publishes and completes with the record's metadata once acknowledged. Never blocks the
     * caller longer than the producer's metadata wait; call it off the event loop.
     */
    public CompletionStage<RecordMetadata> publish(QueuedMessage message) {
        return publish(RecordCodec.toRecord(Topics.INBOUND, message));
    }

    /**
     * Holds a message on {@code tern.quarantine} instead of queueing it for delivery, with
     * {@code reason} in its {@link RecordCodec#QUARANTINE_REASON} header; same guarantees as
     * {@link #publish(QueuedMessage)}.
     */
    public CompletionStage<RecordMetadata> quarantine(QueuedMessage message, String reason) {
        var record = RecordCodec.toRecord(Topics.QUARANTINE, message);
        record.headers().add(RecordCodec.QUARANTINE_REASON, reason.getBytes(StandardCharsets.UTF_8));
        return publish(record);
    }

    /**
     * Hands mail addressed to the bounce domain (asynchronous DSNs, complaints) to the bounce service
     * on {@code tern.feedback} instead of queueing it for delivery; same guarantees as
     * {@link #publish(QueuedMessage)}.
     */
    public CompletionStage<RecordMetadata> feedback(QueuedMessage message) {
        return publish(RecordCodec.toRecord(Topics.FEEDBACK, message));
    }

    /**
     * Writes the {@code accepted} record of a message already acknowledged (docs/ARCHITECTURE.md,
     * "Message trace and ternctl") to {@code tern.events}, best effort: the send starts on a thread
     * of its own (it may wait for the topic's metadata, which must neither happen on the
     * producer's I/O thread that completed the acknowledgement nor hold up the threads that
     * publish mail), nothing waits for it, and a failure, or a backlog past
     * {@value #ACCEPTED_BACKLOG} records, only counts {@code tern_ingress_accepted_events_lost_total}.
     */
    public void recordAccepted(AcceptedEvent event) {
        try {
            acceptedSender.execute(() -> KafkaSends.send(producer, event.toRecord(Topics.EVENTS))
                    .whenComplete((m, error) -> {
                        if (error != null) {
                            lost(event, error);
                        }
                    }));
        } catch (RejectedExecutionException e) {
            lost(event, e);
        }
    }

    private void lost(AcceptedEvent event, Throwable error) {
        acceptedEventsLost.increment();
        LOG.debugf("%s: accepted event not written: %s", event.id(), error);
    }

    private CompletionStage<RecordMetadata> publish(ProducerRecord<String, byte[]> record) {
        long start = System.nanoTime();
        return KafkaSends.send(producer, record)
                .whenComplete((metadata, error) -> publishTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS))
                .orTimeout(ackTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void close() {
        acceptedSender.shutdown();
        try {
            // Accepted records still waiting get their chance to go out with the drain.
            acceptedSender.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
