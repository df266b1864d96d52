package dev.tern.bounce.trace;

import dev.tern.bounce.consume.RecordHandler;
import dev.tern.bounce.metrics.BounceMetrics;
import dev.tern.common.event.AcceptedEvent;
import dev.tern.common.event.EventKinds;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Feeds {@code tern.events} into the {@link TraceIndex}: {@code accepted} records and delivery
 * events are indexed; every other kind (admin audit, kinds added later) is skipped, and so is a
 * record that does not decode (counted, since the index can do nothing better with it). The
 * record is committed once its index writes are done, so an Infinispan outage holds the
 * partition back ({@link dev.tern.bounce.consume.RecordLoop}) instead of losing the trace.
 */
public final class TraceHandler implements RecordHandler {

    private static final Logger LOG = Logger.getLogger(TraceHandler.class);

    private final TraceIndex index;
    private final BounceMetrics metrics;

    public TraceHandler(TraceIndex index, BounceMetrics metrics) {
        this.index = index;
        this.metrics = metrics;
    }

    @Override
    public Step handle(ConsumerRecord<String, byte[]> record) {
        String kind = EventKinds.of(record.value());
        CompletionStage<Void> written;
        try {
            if (EventKinds.DELIVERY.equals(kind)) {
                written = index.delivery(record.value());
            } else if (AcceptedEvent.KIND.equals(kind)) {
                written = index.accepted(AcceptedEvent.fromJson(record.value()));
            } else if (kind == null) {
                throw new IllegalArgumentException("not a JSON object");
            } else {
                return Step.done(); // a kind the trace does not index (admin-audit, later kinds)
            }
        } catch (RuntimeException e) {
            LOG.warnf("skipping undecodable %s record %s-%d@%d (key %s): %s", kind, record.topic(), record.partition(),
                    record.offset(), record.key(), e.getMessage());
            metrics.malformed("events");
            return Step.done();
        }
        String indexed = kind;
        return Step.after(written.handle((v, error) -> {
            if (error != null) {
                metrics.error("trace");
                throw new IllegalStateException("trace of " + record.key() + " not written", error);
            }
            metrics.traceIndexed(indexed);
            return null;
        }));
    }
}
