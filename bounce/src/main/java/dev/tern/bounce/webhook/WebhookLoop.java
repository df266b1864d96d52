package dev.tern.bounce.webhook;

import dev.tern.common.logging.ThrottledWarning;
import dev.tern.common.policy.Webhook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * One webhook endpoint's consumer of {@code tern.events} (docs/ARCHITECTURE.md, "Webhooks"): reads
 * with its own group ({@code tern-webhook-<name>}), keeps the delivery events the endpoint wants in
 * a {@link PendingBatch}, POSTs the batch when it is full or its oldest event has waited
 * {@code max-wait}, and commits the batch's offsets only after a 2xx answer. So the endpoint's
 * progress is its committed offsets, delivery is at least once, and a slow or failing endpoint
 * holds back only its own group: never delivery, never another endpoint.
 *
 * <p>A failed POST (non-2xx, timeout, connection refused) is retried, same batch and same delivery
 * id, after a {@link RetryBackoff} pause. While it waits, the loop keeps polling with every
 * partition paused, so the group sees it alive and does not rebalance. Records polled past a full
 * batch are sought back and read again for the next batch.
 *
 * <p>Rebalance: when partitions are revoked or lost, the uncommitted batch is dropped and the
 * partitions this consumer keeps are sought back to its first offsets, so every dropped record is
 * read again, here or by the new owner (from the committed offset). Threading: {@link #run()} owns
 * the consumer and closes it on exit; {@link #stop()} may be called from any thread and takes
 * effect within one poll or one POST's timeout. Failure: an exception from Kafka is logged and the
 * batch re-read after the back-off; nothing is committed that the endpoint did not take.
 */
final class WebhookLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(WebhookLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration LAG_EVERY = Duration.ofSeconds(5);

    private final Webhook webhook;
    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final WebhookPoster poster;
    private final RetryBackoff backoff;
    private final WebhookMetrics metrics;
    private final Clock clock;
    private final PendingBatch batch;
    private final ThrottledWarning warning = new ThrottledWarning(LOG, Duration.ofMinutes(1));
    private volatile boolean stopped;
    private Instant lagDue = Instant.MIN;

    WebhookLoop(Webhook webhook, Consumer<String, byte[]> consumer, String topic, WebhookPoster poster,
            RetryBackoff backoff, WebhookMetrics metrics, Clock clock) {
        this.webhook = webhook;
        this.consumer = consumer;
        this.topic = topic;
        this.poster = poster;
        this.backoff = backoff;
        this.metrics = metrics;
        this.clock = clock;
        this.batch = new PendingBatch(webhook.batchSize(), webhook.maxWait());
    }

    @Override
    public void run() {
        metrics.register(webhook.name());
        try {
            consumer.subscribe(List.of(topic), new DropOnRevoke());
            while (!stopped) {
                try {
                    pollOnce();
                } catch (org.apache.kafka.common.errors.InterruptException e) {
                    throw new InterruptedException("interrupted in Kafka");
                } catch (KafkaException e) {
                    warning.warn("webhook %s: Kafka failed (%s), reading the batch again after %s", webhook.name(), e,
                            webhook.backoff());
                    resetBatch(Map.of());
                    pausedWait(webhook.backoff());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Asks the loop to end; uncommitted events are read again by the next consumer of the group. */
    void stop() {
        stopped = true;
    }

    private void pollOnce() throws InterruptedException {
        take(consumer.poll(POLL));
        Instant now = clock.instant();
        if (batch.ready(now)) {
            send();
        } else if (batch.onlySkipped()) {
            commit();
        }
        if (!now.isBefore(lagDue)) {
            updateLag();
        }
    }

    /** Adds polled records to the batch; once it is full, seeks each partition back to its first record not taken. */
    private void take(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, Long> rewind = new HashMap<>();
        Instant now = clock.instant();
        for (ConsumerRecord<String, byte[]> r : records) {
            var tp = new TopicPartition(r.topic(), r.partition());
            if (rewind.containsKey(tp)) {
                continue;
            }
            if (batch.full()) {
                rewind.put(tp, r.offset());
                continue;
            }
            batch.add(tp, r.offset(), WebhookEvents.wanted(r.value(), webhook) ? r.value() : null, now);
        }
        rewind.forEach(consumer::seek);
    }

    /** POSTs the batch until the endpoint takes it (then commits), the loop stops, or a rebalance drops it. */
    private void send() throws InterruptedException {
        byte[] body = batch.body();
        String deliveryId = batch.deliveryId(webhook.name());
        int failures = 0;
        while (!stopped && batch.size() > 0) {
            WebhookPoster.Outcome outcome = poster.post(body, deliveryId);
            metrics.posted(webhook.name(), outcome.result());
            if (outcome.result() == WebhookPoster.Result.OK) {
                metrics.delivered(webhook.name(), batch.size());
                commit();
                return;
            }
            failures++;
            Duration pause = backoff.after(failures);
            warning.warn("webhook %s: POST of %d events (delivery %s) failed: %s; attempt %d, next in %s",
                    webhook.name(), batch.size(), deliveryId, outcome.detail(), failures, pause);
            pausedWait(pause);
        }
    }

    private void commit() {
        try {
            consumer.commitSync(batch.commitOffsets());
            batch.clear();
        } catch (KafkaException e) {
            // Not committed: the batch is read and POSTed again (at least once; the delivery id repeats).
            warning.warn("webhook %s: commit failed (%s); the batch will be sent again", webhook.name(), e);
            resetBatch(Map.of());
        }
    }

    /** Keeps polling for {@code pause} with every partition paused, so the group keeps this member. */
    private void pausedWait(Duration pause) throws InterruptedException {
        Instant until = clock.instant().plus(pause);
        consumer.pause(consumer.assignment());
        try {
            while (!stopped) {
                Duration left = Duration.between(clock.instant(), until);
                if (left.isNegative() || left.isZero()) {
                    return;
                }
                ConsumerRecords<String, byte[]> late = consumer.poll(left.compareTo(POLL) < 0 ? left : POLL);
                // Partitions assigned during the wait are not paused yet: put their records back.
                for (TopicPartition tp : late.partitions()) {
                    consumer.seek(tp, late.records(tp).get(0).offset());
                }
                consumer.pause(consumer.assignment());
                if (!clock.instant().isBefore(lagDue)) {
                    updateLag();
                }
            }
        } finally {
            consumer.resume(consumer.assignment());
        }
    }

    /** Drops the batch; partitions still assigned (other than {@code gone}) go back to its first offsets. */
    private void resetBatch(Map<TopicPartition, ?> gone) {
        var kept = new HashSet<>(consumer.assignment());
        batch.firstOffsets().forEach((tp, offset) -> {
            if (kept.contains(tp) && !gone.containsKey(tp)) {
                consumer.seek(tp, offset);
            }
        });
        batch.clear();
    }

    /** Records after the uncommitted position on every assigned partition; errors leave the last value. */
    private void updateLag() {
        lagDue = clock.instant().plus(LAG_EVERY);
        try {
            var assigned = consumer.assignment();
            if (assigned.isEmpty()) {
                metrics.lag(webhook.name(), 0);
                return;
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(2));
            Map<TopicPartition, Long> first = batch.firstOffsets();
            long lag = 0;
            for (TopicPartition tp : assigned) {
                long position = first.containsKey(tp) ? first.get(tp) : consumer.position(tp, Duration.ofSeconds(2));
                lag += Math.max(0, end.getOrDefault(tp, position) - position);
            }
            metrics.lag(webhook.name(), lag);
        } catch (KafkaException e) {
            LOG.debugf("webhook %s: lag not measured: %s", webhook.name(), e);
        }
    }

    /** Forgets the uncommitted batch when partitions move, so no record is lost between owners. */
    private final class DropOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            lagDue = Instant.MIN;
        }

        private void drop(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            var gone = new HashMap<TopicPartition, Boolean>();
            partitions.forEach(tp -> gone.put(tp, true));
            resetBatch(gone);
        }
    }
}
