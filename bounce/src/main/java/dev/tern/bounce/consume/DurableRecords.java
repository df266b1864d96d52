package dev.tern.bounce.consume;

import dev.tern.bounce.consume.RecordHandler.Step;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Runs a {@link RecordHandler} for one record the Kafka connector delivered, and completes only
 * once the handler's work is durable (docs/ARCHITECTURE.md, "Consumers"). The connector acks the
 * record when the returned stage completes and its throttled commit strategy commits an offset only
 * behind acked records, so a notice is acknowledged by Kafka (a suppression, a trace entry written)
 * before the offset of its input moves: the same rule {@link RecordLoop} keeps by hand.
 *
 * <p>Failed work (Kafka or Infinispan unreachable) is not skipped: the record is handled again
 * after the back-off, as {@link RecordLoop} does after seeking back, for as long as the service
 * runs. Only at shutdown does the stage fail; the connector then nacks the record, which is never
 * committed, and the next owner of the partition handles it again. Handlers used here must not
 * return {@link Step.WaitUntil}: the connector has no per-record pause, which is why the delay
 * stream stays on {@link RecordLoop}.
 *
 * <p>Threading: called on the connector's worker thread, one record at a time per channel.
 */
public final class DurableRecords {

    private static final Logger LOG = Logger.getLogger(DurableRecords.class);

    private final String channel;
    private final RecordHandler handler;
    private final Duration backoff;
    private final BooleanSupplier running;

    public DurableRecords(String channel, RecordHandler handler, Duration backoff, BooleanSupplier running) {
        this.channel = channel;
        this.handler = handler;
        this.backoff = backoff;
        this.running = running;
    }

    /** Completes when the record's work is durable; fails only once the service is stopping. */
    public CompletionStage<Void> handle(ConsumerRecord<String, byte[]> record) {
        return Uni.createFrom().completionStage(() -> attempt(record))
                .onFailure().invoke(e -> LOG.warnf("%s: record %s-%d@%d not done (%s), retrying in %s", channel,
                        record.topic(), record.partition(), record.offset(), e, backoff))
                .onFailure(e -> running.getAsBoolean()).retry().withBackOff(backoff, backoff).indefinitely()
                .subscribeAsCompletionStage();
    }

    private CompletionStage<Void> attempt(ConsumerRecord<String, byte[]> record) {
        Step step;
        try {
            step = handler.handle(record);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (step instanceof Step.Done done) {
            return done.durable().thenApply(v -> null);
        }
        return CompletableFuture.failedFuture(new IllegalStateException(channel + ": handler asked to wait; "
                + "the connector path cannot hold a partition"));
    }
}
