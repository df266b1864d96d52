package dev.tern.delivery.throttle;

import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.jboss.logging.Logger;

/**
 * The number of live delivery pods, the divisor of the local fallback limits ("global / pods"):
 * the members of the delivery consumer group, as Kafka's group coordinator reports them
 * ({@code Admin.describeConsumerGroups}), refreshed in the background every {@code refresh} and
 * cached, so the send path never waits for Kafka. Kafka being unreachable keeps the last count.
 * Starts at 1 (this pod) until the first answer.
 *
 * <p>Counting group members rather than asking Kubernetes needs no API permissions and counts
 * exactly the pods that take mail. Thread-safe.
 */
public final class LivePods implements IntSupplier, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LivePods.class);

    private final String bootstrap;
    private final KafkaClientProperties kafkaProperties;
    private final String groupId;
    private final ScheduledFuture<?> task;
    private volatile Admin admin;
    private volatile int count = 1;

    public LivePods(String bootstrap, KafkaClientProperties kafkaProperties, String groupId, Duration refresh,
            ScheduledExecutorService timer) {
        this.bootstrap = bootstrap;
        this.kafkaProperties = kafkaProperties;
        this.groupId = groupId;
        this.task = timer.scheduleWithFixedDelay(this::refresh, 0, Math.max(1, refresh.toMillis()),
                TimeUnit.MILLISECONDS);
    }

    /** A fixed count (configured {@code tern.delivery.shaping.live-pods}). */
    public static IntSupplier fixed(int pods) {
        return () -> pods;
    }

    @Override
    public int getAsInt() {
        return count;
    }

    private void refresh() {
        try {
            if (admin == null) {
                admin = Admin.create(KafkaClients.admin(bootstrap, kafkaProperties));
            }
            var group = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                    .get(10, TimeUnit.SECONDS);
            int members = Math.max(1, group.members().size());
            if (members != count) {
                LOG.debugf("delivery pods in group %s: %d", groupId, members);
            }
            count = members;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf("counting delivery pods failed, keeping %d: %s", count, e.toString());
        }
    }

    @Override
    public void close() {
        task.cancel(true);
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
