package dev.tern.common.admin;

import dev.tern.common.config.TernConfig;
import dev.tern.common.event.AdminAuditEvent;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.logging.ThrottledWarning;
import dev.tern.common.queue.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Writes admin audit records to {@code tern.events} with a producer of its own, created on the
 * first operator action so a service nobody administers opens no extra connection. The send is
 * asynchronous, from a thread of its own (the response is already out); a record Kafka refuses is reported in the log
 * (throttled), with who did what, so the action is never lost without a trace.
 */
@ApplicationScoped
public class KafkaAdminAudit implements AdminAudit {

    private static final Logger LOG = Logger.getLogger(KafkaAdminAudit.class);
    /** Audit records are small; this bounds the producer's request size, not Tern's messages. */
    private static final int MAX_RECORD_BYTES = 1 << 20;

    private final TernConfig config;
    private final KafkaClientProperties clientProperties;
    private final String service;
    private final ThrottledWarning sendFailed = new ThrottledWarning(LOG, Duration.ofMinutes(1));
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tern-admin-audit");
        t.setDaemon(true);
        return t;
    });
    private volatile Producer<String, byte[]> producer;

    public KafkaAdminAudit(TernConfig config, KafkaClientProperties clientProperties,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "tern") String service) {
        this.config = config;
        this.clientProperties = clientProperties;
        this.service = service;
    }

    /** The service name audit records carry. */
    public String service() {
        return service;
    }

    @Override
    public void record(AdminAuditEvent event) {
        // Off the event loop: creating the producer, and a send while Kafka is unreachable, block.
        sender.execute(() -> {
            try {
                producer().send(event.toRecord(Topics.EVENTS), (meta, e) -> {
                    if (e != null) {
                        refused(event, e);
                    }
                });
            } catch (RuntimeException e) {
                refused(event, e);
            }
        });
    }

    private void refused(AdminAuditEvent event, Exception e) {
        sendFailed.warn("admin audit record not written to %s (%s): %s", Topics.EVENTS, e,
                new String(event.toJson(), StandardCharsets.UTF_8));
    }

    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(KafkaClients.producer(config.kafka().bootstrapServers(),
                            clientProperties, MAX_RECORD_BYTES, "tern-admin-audit-" + service));
                }
                p = producer;
            }
        }
        return p;
    }

    @PreDestroy
    void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
