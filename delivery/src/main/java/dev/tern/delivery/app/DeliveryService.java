package dev.tern.delivery.app;

import dev.tern.common.classify.BounceAction;
import dev.tern.common.config.TernConfig;
import dev.tern.common.dns.DnsjavaLookup;
import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.common.journal.InfinispanDeliveryJournal;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.common.kafka.KafkaSends;
import dev.tern.common.policy.PolicyHolder;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Topics;
import dev.tern.delivery.admin.ControlCommand;
import dev.tern.delivery.admin.ControlListener;
import dev.tern.delivery.quarantine.QuarantineConfig;
import dev.tern.delivery.admin.DeliveryOperations;
import dev.tern.delivery.admin.OperatorControls;
import dev.tern.delivery.client.ConnectionPool;
import dev.tern.delivery.client.NetClients;
import dev.tern.delivery.config.DeliveryConfig;
import dev.tern.delivery.consume.ConsumerLoop;
import dev.tern.delivery.metrics.DeliveryMetrics;
import dev.tern.delivery.retry.OutcomeWriter;
import dev.tern.delivery.retry.RetryLadder;
import dev.tern.delivery.route.MxResolver;
import dev.tern.delivery.route.Router;
import dev.tern.delivery.send.GroupSender;
import dev.tern.delivery.send.MessageDelivery;
import dev.tern.delivery.send.ReconnectingJournal;
import dev.tern.delivery.send.SuppressionCheck;
import dev.tern.common.infinispan.BackgroundOpener;
import dev.tern.common.suppression.InfinispanSuppressionList;
import dev.tern.common.suppression.SuppressionList;
import dev.tern.delivery.throttle.DestinationGate;
import dev.tern.delivery.throttle.TrafficShaping;
import dev.tern.delivery.throttle.ShapingKeys;
import dev.tern.delivery.throttle.ThrottleQueue;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Builds the delivery pipeline by hand (constructors, no framework wiring below this class) and
 * runs it for the life of the application: consumer thread → {@link MessageDelivery} on one Vert.x
 * event-loop context (routing, connection pool, SMTP client) → outcome records → offset commits.
 *
 * <p>One event loop carries every outbound connection of the pod: the work is I/O-bound, and one
 * context makes the pool and the per-connection state single-threaded without locks. Blocking work
 * never runs there: DNS and Hot Rod calls are asynchronous, Kafka sends are asynchronous.
 *
 * <p>Start-up does not wait for Kafka or Infinispan (readiness reports them); the consumer and the
 * journal connect when they can. Shutdown stops polling, gives records in flight up to 20 s, commits,
 * then closes connections and the producer.
 */
@ApplicationScoped
public class DeliveryService implements DeliveryOperations {

    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final TernConfig tern;
    private final KafkaClientProperties kafkaProperties;
    private final DeliveryConfig config;
    private final PolicyHolder policy;
    private final InfinispanClient infinispan;
    private final MeterRegistry registry;
    private final Vertx vertx;
    private final OperatorControls controls = new OperatorControls();
    private final TrafficShaping shaping;
    private final DestinationGate gate;
    private final QuarantineConfig quarantine;
    private KafkaProducer<String, byte[]> producer;
    private ConnectionPool pool;
    private MessageDelivery delivery;
    private ConsumerLoop loop;
    private ControlListener control;
    private Context context;
    private ExecutorService blocking;
    private Thread loopThread;
    private Thread controlThread;

    public DeliveryService(TernConfig tern, KafkaClientProperties kafkaProperties, DeliveryConfig config, PolicyHolder policy, InfinispanClient infinispan,
            MeterRegistry registry, Vertx vertx, TrafficShaping shaping, QuarantineConfig quarantine) {
        this.quarantine = quarantine;
        this.shaping = shaping;
        this.gate = shaping.gate();
        this.tern = tern;
        this.kafkaProperties = kafkaProperties;
        this.config = config;
        this.policy = policy;
        this.infinispan = infinispan;
        this.registry = registry;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("delivery consumer disabled (tern.delivery.enabled=false)");
            return;
        }
        validate();
        if (config.createTopics()) {
            Topology.createTopics(tern, kafkaProperties, policy.current(), quarantine.retention());
        }
        String bootstrap = tern.kafka().bootstrapServers();
        int maxBytes = tern.kafka().maxMessageBytes();
        String instance = UUID.randomUUID().toString().substring(0, 8);
        producer = new KafkaProducer<>(KafkaClients.producer(bootstrap, kafkaProperties, maxBytes, "tern-delivery-" + instance));
        context = vertx.getOrCreateContext();
        Executor onLoop = task -> context.runOnContext(v -> task.run());

        int maxWaiting = config.shaping().maxWaiting();
        pool = new ConnectionPool(vertx, onLoop, new NetClients(vertx), gate, config.idleTimeout(),
                config.shaping().contendedIdleTimeout(), config.maxThrottleWait(), maxWaiting);
        var throttle = new ThrottleQueue(vertx, onLoop, gate, maxWaiting, shaping.metrics(),
                (key, routed) -> ShapingKeys.latest(policy.current(), key, routed));
        var dns = DnsjavaLookup.fromConfig(tern.dns());
        var router = new Router(new MxResolver(dns, new SecureRandom(), config.mxPort()), controls);
        Duration retention = policy.current().maxQueueLifetime().plusDays(1);
        blocking = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tern-delivery-writer");
            t.setDaemon(true);
            return t;
        });
        var journal = new ReconnectingJournal(() -> new InfinispanDeliveryJournal(infinispan.manager(),
                config.journalCache(), retention), blocking);
        var metrics = new DeliveryMetrics(registry, () -> loop == null ? 0 : loop.inFlight(), () -> pool.open());
        var sender = new GroupSender(onLoop, pool, gate, throttle, journal, heloName(), config.maxThrottleWait(),
                metrics, reply -> policy.current().bounceClassifier().classify(reply).action() == BounceAction.BACKOFF);
        var suppression = new SuppressionCheck(!config.honourSuppression() ? null : new BackgroundOpener<>(
                "suppression list", () -> (SuppressionList) new InfinispanSuppressionList(infinispan.manager(),
                        config.suppressionCache(), Clock.systemUTC()), blocking, Duration.ofSeconds(10)));
        delivery = new MessageDelivery(vertx, onLoop, blocking, policy, router, sender, journal, suppression,
                new OutcomeWriter(producer),
                controls, metrics, Clock.systemUTC());

        var consumerProps = KafkaClients.consumer(bootstrap, kafkaProperties, maxBytes, config.groupId(), "tern-delivery-" + instance);
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxPollRecords()));
        consumerProps.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(config.sessionTimeout().toMillis()));
        consumerProps.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                Long.toString(Math.max(500, config.sessionTimeout().toMillis() / 4)));
        loop = new ConsumerLoop(new KafkaConsumer<>(consumerProps), this::topics, delivery::deliver,
                config.maxInFlight(), Clock.systemUTC(), metrics,
                (tp, offset, now) -> controls.movedRecipients(tp.topic(), tp.partition(), offset, now));
        loopThread = new Thread(() -> {
            if (!journal.awaitOpen(config.journalWait())) {
                LOG.warn("starting delivery without the journal: a crash now may duplicate mail");
            }
            loop.run();
        }, "tern-delivery-consumer");
        loopThread.start();

        var controlProps = KafkaClients.consumer(bootstrap, kafkaProperties, maxBytes,
                "tern-delivery-control-" + instance,
                "tern-delivery-control-" + instance);
        controlProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
        control = new ControlListener(new KafkaConsumer<>(controlProps), controls);
        controlThread = new Thread(control, "tern-delivery-control");
        controlThread.setDaemon(true);
        controlThread.start();

        context.runOnContext(v -> {
            vertx.setPeriodic(1000, id -> pool.sweep());
            vertx.setPeriodic(ConnectionPool.RETRY_MILLIS, id -> pool.retryWaiters());
            vertx.setPeriodic(60_000, id -> dns.evictExpired());
        });
        LOG.infof("delivery started: group %s, max in flight %d, EHLO %s", config.groupId(), config.maxInFlight(),
                heloName());
    }

    // Types are checked by the config mapping; ranges here, naming the key (docs/ARCHITECTURE.md, "Configuration").
    private void validate() {
        if (config.maxInFlight() < 1) {
            throw new IllegalArgumentException("tern.delivery.max-in-flight must be at least 1");
        }
        if (config.maxPollRecords() < 1) {
            throw new IllegalArgumentException("tern.delivery.max-poll-records must be at least 1");
        }
        if (config.mxPort() < 1 || config.mxPort() > 65535) {
            throw new IllegalArgumentException("tern.delivery.mx-port must be a TCP port");
        }
    }

    private List<String> topics() {
        var out = new ArrayList<String>();
        out.add(Topics.INBOUND);
        out.addAll(new RetryLadder(policy.current().retry()).topics());
        return out;
    }

    private String heloName() {
        return config.hostname().orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getCanonicalHostName();
            } catch (Exception e) {
                return "localhost";
            }
        });
    }

    @Override
    public CompletableFuture<Void> command(ControlCommand command) {
        command.applyTo(controls);
        if (producer == null) {
            return CompletableFuture.completedFuture(null);
        }
        return KafkaSends.send(producer, new ProducerRecord<>(Topics.CONTROL, command.stateKey(), command.toJson()))
                .<Void>thenApply(metadata -> null);
    }

    @Override
    public CompletableFuture<Void> requeue(QueuedMessage m) {
        if (producer == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("delivery is not running"));
        }
        return KafkaSends.send(producer, RecordCodec.toRecord(Topics.INBOUND, m)).<Void>thenApply(metadata -> null);
    }

    @Override
    public PolicyHolder policy() {
        return policy;
    }

    @Override
    public OperatorControls controls() {
        return controls;
    }

    @Override
    public Map<String, Integer> inFlightByDestination() {
        return delivery == null ? Map.of() : delivery.inFlightByDestination();
    }

    @Override
    public int inFlight() {
        return loop == null ? 0 : loop.inFlight();
    }

    @Override
    public int openConnections() {
        return pool == null ? 0 : pool.open();
    }

    @Override
    public List<String> consumedTopics() {
        return topics();
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop == null) {
            return;
        }
        loop.stop();
        control.stop();
        join(loopThread, 30_000);
        var closed = new CompletableFuture<Void>();
        context.runOnContext(v -> {
            pool.closeAll();
            closed.complete(null);
        });
        closed.orTimeout(2, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
        producer.close(Duration.ofSeconds(5));
        blocking.shutdown();
    }

    private static void join(Thread t, long ms) {
        try {
            t.join(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
