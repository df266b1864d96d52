package dev.tern.bounce.app;

import dev.tern.bounce.config.BounceConfig;
import dev.tern.bounce.config.BounceConfig.DelayNoticeSource;
import dev.tern.bounce.consume.RecordLoop;
import dev.tern.bounce.delay.DelayHandler;
import dev.tern.bounce.delay.InfinispanNotifiedMessages;
import dev.tern.bounce.dsn.NoticeBuilder;
import dev.tern.bounce.failure.FailureHandler;
import dev.tern.bounce.feedback.FeedbackHandler;
import dev.tern.bounce.metrics.BounceMetrics;
import dev.tern.bounce.publish.EventPublisher;
import dev.tern.bounce.publish.NoticePublisher;
import dev.tern.bounce.suppression.ReconnectingSuppressionList;
import dev.tern.bounce.suppression.SuppressionWriter;
import dev.tern.bounce.trace.InfinispanTraceStore;
import dev.tern.bounce.trace.CoalescingTraceStore;
import dev.tern.bounce.trace.LazyTraceStore;
import dev.tern.bounce.trace.TraceHandler;
import dev.tern.bounce.trace.TraceIndex;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.config.TernConfig;
import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.policy.PolicyHolder;
import dev.tern.common.queue.Topics;
import dev.tern.common.suppression.InfinispanSuppressionList;
import dev.tern.common.suppression.SuppressionList;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

/**
 * Builds the bounce pipeline by hand (constructors, no framework wiring below this class) and runs
 * it for the life of the application (docs/ARCHITECTURE.md, "Bounces"):
 * <ul>
 *   <li>connector channel {@code tern.failed} ({@link BounceChannels}): {@link FailureHandler} →
 *       failure DSN on {@code tern.inbound} + suppression of hard bounces;</li>
 *   <li>thread {@code tern-bounce-delay} (unless {@code delay-notice-source=none}): every
 *       {@code tern.retry.*} tier, by pattern so tiers added to the ladder later are picked up →
 *       {@link DelayHandler} → at most one delay DSN per message;</li>
 *   <li>connector channel {@code tern.feedback} ({@link BounceChannels}): mail at the bounce domain →
 *       {@link FeedbackHandler} → suppression of failed recipients and complainers, events on
 *       {@code tern.events} (docs/ARCHITECTURE.md, "Feedback loops and VERP").</li>
 *   <li>connector channel {@code tern.events} ({@link BounceChannels}): {@link TraceHandler} → the
 *       message trace in Infinispan ({@link TraceIndex}), which also records every notice published
 *       (docs/ARCHITECTURE.md, "Message trace and ternctl").</li>
 * </ul>
 * Loops and channels share one idempotent producer and commit only after their notices are
 * acknowledged ({@link RecordLoop}, {@link dev.tern.bounce.consume.DurableRecords}). Start-up does not wait for Kafka or Infinispan (readiness reports them).
 * Shutdown stops the delay loop, lets it commit what is published, then closes the producer.
 */
@ApplicationScoped
public class BounceService {

    private static final Logger LOG = Logger.getLogger(BounceService.class);
    private static final Pattern RETRY_TIERS = Pattern.compile(Pattern.quote(Topics.RETRY_PREFIX) + ".+");

    private final TernConfig tern;
    private final KafkaClientProperties kafkaProperties;
    private final BounceConfig config;
    private final PolicyHolder policy;
    private final SuppressionList suppression;
    private final BounceMetrics metrics;
    private final InfinispanClient infinispan;
    private final Clock clock = Clock.systemUTC();
    private final TraceIndex trace;
    private KafkaProducer<String, byte[]> producer;
    private NoticePublisher publisher;
    private NoticeBuilder builder;
    private FailureHandler failure;
    private Running delay;
    private FeedbackHandler feedback;

    public BounceService(TernConfig tern, KafkaClientProperties kafkaProperties, BounceConfig config,
            PolicyHolder policy, InfinispanClient infinispan, MeterRegistry registry) {
        this.tern = tern;
        this.kafkaProperties = kafkaProperties;
        this.config = config;
        this.policy = policy;
        this.infinispan = infinispan;
        this.metrics = new BounceMetrics(registry);
        this.suppression = new ReconnectingSuppressionList(
                () -> new InfinispanSuppressionList(infinispan.manager(), config.suppressionCache(), clock));
        if (config.traceRetention().isNegative() || config.traceRetention().isZero()) {
            throw new IllegalArgumentException("tern.bounce.trace-retention must be positive, not "
                    + config.traceRetention());
        }
        this.trace = new TraceIndex(new CoalescingTraceStore(new LazyTraceStore(() -> new InfinispanTraceStore(
                infinispan.manager(), config.traceCache()))), config::traceRetention, () -> policy.current().retry(), clock);
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("bounce consumers disabled (tern.bounce.enabled=false)");
            return;
        }
        startConsumers();
        LOG.infof("bounce started: reporting MTA %s, group %s, delay notices from %s after %s", hostname(),
                config.groupId(), config.delayNoticeSource(), delayNoticeAfter());
    }

    /** The one producer, created on first use so the connector's channels may ask before start-up ends. */
    private synchronized void ensureProducer() {
        if (producer == null) {
            producer = new KafkaProducer<>(KafkaClients.producer(tern.kafka().bootstrapServers(), kafkaProperties,
                    tern.kafka().maxMessageBytes(), "tern-bounce-" + instance()));
            publisher = new NoticePublisher(producer, this::traceNotice);
            builder = new NoticeBuilder(hostname(), config.maxReturnedSize(), clock);
        }
    }

    /** The {@code tern.failed} handler the connector's channel runs. */
    public synchronized FailureHandler failureHandler() {
        ensureProducer();
        if (failure == null) {
            failure = new FailureHandler(builder, publisher, suppression, config.suppressFor(),
                    () -> policy.current().bounceClassifier(), metrics, clock);
        }
        return failure;
    }

    /** The {@code tern.events} handler the connector's channel runs. */
    public TraceHandler traceHandler() {
        return new TraceHandler(trace, metrics);
    }

    /** The {@code tern.feedback} handler the connector's channel runs. */
    public synchronized FeedbackHandler feedbackHandler() {
        ensureProducer();
        if (feedback == null) {
            feedback = new FeedbackHandler(() -> policy.current().feedback(),
                    () -> policy.current().bounceClassifier(), new EventPublisher(producer),
                    new SuppressionWriter(suppression, metrics, clock), config.suppressFor(),
                    config.complaintSuppressFor(), metrics, clock);
        }
        return feedback;
    }

    /** Starts the delay consumer thread with a fresh consumer; it resumes from the committed offsets. */
    public synchronized void startConsumers() {
        ensureProducer();
        if (config.delayNoticeSource() == DelayNoticeSource.RETRY_TIERS) {
            var notified = new InfinispanNotifiedMessages(infinispan::manager, config.notifiedCache());
            var handler = new DelayHandler(builder, publisher, notified, this::delayNoticeAfter,
                    () -> policy.current().maxQueueLifetime(), metrics, clock);
            delay = Running.start("tern-bounce-delay", new RecordLoop("tern-bounce-delay",
                    consumer(config.delayGroupId()), RETRY_TIERS, handler, clock, config.retryBackoff()));
        }
    }

    /** Records a published notice in the trace of the message it is about; best effort. */
    private void traceNotice(QueuedMessage about, QueuedMessage notice, String action) {
        try {
            String to = notice.recipients().isEmpty() ? "" : notice.recipients().get(0).address();
            trace.notice(about.id(), notice.id(), to, action,
                    about.recipients().stream().map(QueuedRecipient::address).toList()).whenComplete((v, error) -> {
                        if (error != null) {
                            metrics.error("trace");
                            LOG.debugf("%s: notice %s not recorded in the trace: %s", about.id(), notice.id(), error);
                        } else {
                            metrics.traceIndexed("notice");
                        }
                    });
        } catch (RuntimeException e) {
            metrics.error("trace");
            LOG.debugf("%s: notice %s not recorded in the trace: %s", about.id(), notice.id(), e);
        }
    }

    /** Stops the delay consumer thread after its current work is committed; the producer stays open. */
    public synchronized void stopConsumers() {
        if (delay != null) {
            delay.stop();
            delay = null;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopConsumers();
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** The suppression list this pod writes, shared through Infinispan. */
    public SuppressionList suppressionList() {
        return suppression;
    }

    /** This service's metrics. */
    public BounceMetrics metrics() {
        return metrics;
    }

    /** The message trace, filled by this pod's consumer and shared through Infinispan. */
    public TraceIndex traceIndex() {
        return trace;
    }

    /** {@code tern.bounce.delay-notice-after} when set, else the live policy's value. */
    Duration delayNoticeAfter() {
        return config.delayNoticeAfter().orElseGet(() -> policy.current().delayNoticeAfter());
    }

    private KafkaConsumer<String, byte[]> consumer(String group) {
        var props = KafkaClients.consumer(tern.kafka().bootstrapServers(), kafkaProperties, tern.kafka().maxMessageBytes(),
                group,
                group + "-" + instance());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxPollRecords()));
        return new KafkaConsumer<>(props);
    }

    private String hostname() {
        return config.hostname().orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getCanonicalHostName();
            } catch (Exception e) {
                return "localhost";
            }
        });
    }

    private static String instance() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A loop and the thread running it. */
    private record Running(RecordLoop loop, Thread thread) {
        static Running start(String name, RecordLoop loop) {
            var thread = new Thread(loop, name);
            thread.start();
            return new Running(loop, thread);
        }

        void stop() {
            loop.stop();
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
