package dev.tern.delivery.admin;

import dev.tern.common.kafka.PollLoop;
import dev.tern.common.queue.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Applies operator commands from {@code tern.control} to this pod's {@link OperatorControls}.
 *
 * <p>Every pod must see every command, so this consumer is outside the delivery group: it assigns
 * itself all partitions (normally one) and commits nothing. It reads from the beginning rather than
 * the end: commands are idempotent state, and replaying them is how a pod that starts after a
 * {@code suspend} learns that the destination is suspended. Runs on its own thread; a malformed
 * command is logged and skipped; a failed poll (broker away) is retried every second.
 */
public final class ControlListener implements Runnable {

    private static final Logger LOG = Logger.getLogger(ControlListener.class);

    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Consumer<String, byte[]> consumer;
    private final OperatorControls controls;
    private final PollLoop loop;

    public ControlListener(Consumer<String, byte[]> consumer, OperatorControls controls) {
        this.consumer = consumer;
        this.controls = controls;
        this.loop = new PollLoop("control listener", consumer, new PollLoop.Body() {
            @Override
            public void start() {
                assignAllFromTheBeginning();
            }

            @Override
            public void pollOnce() {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
            }
        }, RETRY, Duration.ofSeconds(2), true);
    }

    @Override
    public void run() {
        loop.run();
    }

    private void assignAllFromTheBeginning() {
        List<TopicPartition> partitions = List.of();
        while (loop.running() && partitions.isEmpty()) {
            List<PartitionInfo> info = consumer.partitionsFor(Topics.CONTROL, Duration.ofSeconds(10));
            partitions = info == null ? List.of()
                    : info.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                PollLoop.sleep(RETRY);
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        try {
            ControlCommand c = ControlCommand.fromJson(r.value());
            c.applyTo(controls);
            LOG.infof("control: %s", c.describe());
        } catch (Exception e) {
            LOG.warnf("skipping malformed control command at offset %d: %s", r.offset(), e.getMessage());
        }
    }

    public void stop() {
        loop.stop();
    }
}
