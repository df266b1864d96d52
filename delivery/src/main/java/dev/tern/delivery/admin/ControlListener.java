package dev.tern.delivery.admin;

import dev.tern.common.queue.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Applies operator commands from {@code tern.control} to this pod's {@link OperatorControls}.
 *
 * <p>Every pod must see every command, so this consumer is outside the delivery group: it assigns
 * itself all partitions (normally one) and commits nothing. It reads from the beginning rather than
 * the end: commands are idempotent state, and replaying them is how a pod that starts after a
 * {@code suspend} learns that the destination is suspended. Runs on its own thread; a malformed
 * command is logged and skipped.
 */
public final class ControlListener implements Runnable {

    private static final Logger LOG = Logger.getLogger(ControlListener.class);

    private final Consumer<String, byte[]> consumer;
    private final OperatorControls controls;
    private volatile boolean running = true;

    public ControlListener(Consumer<String, byte[]> consumer, OperatorControls controls) {
        this.consumer = consumer;
        this.controls = controls;
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) {
                List<PartitionInfo> info = consumer.partitionsFor(Topics.CONTROL, Duration.ofSeconds(10));
                partitions = info == null ? List.of()
                        : info.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(1000);
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
            }
        } catch (WakeupException e) {
            // stop()
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("control listener stopped; operator commands are no longer applied on this pod", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        try {
            ControlCommand c = ControlCommand.fromJson(r.value());
            c.applyTo(controls);
            LOG.infof("control: %s %s%s", c.command(), c.destination(), c.command().equals(ControlCommand.BOUNCE)
                    ? " until " + java.time.Instant.ofEpochMilli(c.until()) + " (" + c.reason() + ")" : "");
        } catch (Exception e) {
            LOG.warnf("skipping malformed control command at offset %d: %s", r.offset(), e.getMessage());
        }
    }

    public void stop() {
        running = false;
        consumer.wakeup();
    }
}
