package dev.tern.delivery.quarantine;

import dev.tern.common.config.TernConfig;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import dev.tern.delivery.config.DeliveryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Starts this pod's view of {@code tern.quarantine} with the delivery service: the index, the
 * follower thread that fills it, and the {@link QuarantineStore} the admin routes use. Nothing runs
 * when {@code tern.delivery.enabled} is false; {@link #store()} is then empty.
 */
@ApplicationScoped
public class QuarantineService {

    private final TernConfig tern;
    private final KafkaClientProperties kafkaProperties;
    private final DeliveryConfig delivery;
    private final QuarantineConfig config;
    private final MeterRegistry registry;

    private volatile QuarantineStore store;
    private QuarantineFollower follower;
    private KafkaConsumer<String, byte[]> reader;
    private KafkaProducer<String, byte[]> producer;

    public QuarantineService(TernConfig tern, KafkaClientProperties kafkaProperties, DeliveryConfig delivery,
            QuarantineConfig config, MeterRegistry registry) {
        this.tern = tern;
        this.kafkaProperties = kafkaProperties;
        this.delivery = delivery;
        this.config = config;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (!delivery.enabled()) {
            return;
        }
        Clock clock = Clock.systemUTC();
        var index = new QuarantineIndex(config.retention(), config.maxIndexed());
        String bootstrap = tern.kafka().bootstrapServers();
        int maxBytes = tern.kafka().maxMessageBytes();
        String instance = "tern-delivery-quarantine-" + UUID.randomUUID().toString().substring(0, 8);

        var followerProps = groupless(KafkaClients.consumer(bootstrap, kafkaProperties, maxBytes, instance, instance));
        // Held mail may be large and the follower only keeps metadata: few records per poll.
        followerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20");
        follower = new QuarantineFollower(new KafkaConsumer<>(followerProps), index);
        var thread = new Thread(follower, "tern-quarantine-follower");
        thread.setDaemon(true);
        thread.start();

        var readerProps = groupless(KafkaClients.consumer(bootstrap, kafkaProperties, maxBytes, instance,
                instance + "-reader"));
        readerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        reader = new KafkaConsumer<>(readerProps);
        producer = new KafkaProducer<>(KafkaClients.producer(bootstrap, kafkaProperties, maxBytes, instance));
        var metrics = new QuarantineMetrics(registry, () -> index.held(clock.instant()));
        store = new QuarantineStore(index, reader, producer, metrics, clock);
    }

    private static java.util.Properties groupless(java.util.Properties p) {
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return p;
    }

    /** The store, once started. */
    public Optional<QuarantineStore> store() {
        return Optional.ofNullable(store);
    }

    void stop(@Observes ShutdownEvent event) {
        if (store == null) {
            return;
        }
        follower.stop();
        synchronized (store) {
            reader.close(Duration.ofSeconds(2));
        }
        producer.close(Duration.ofSeconds(5));
    }
}
