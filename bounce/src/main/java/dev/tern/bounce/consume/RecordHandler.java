package dev.tern.bounce.consume;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What {@link RecordLoop} does with one record. Called on the loop's thread, in offset order per
 * partition; must decide quickly and do slow work (publishing, Hot Rod) asynchronously.
 */
@FunctionalInterface
public interface RecordHandler {

    Step handle(ConsumerRecord<String, byte[]> record);

    /** The handler's verdict on one record. */
    sealed interface Step {

        /** Work started; the record may be committed once {@code durable} completes normally. */
        record Done(CompletionStage<?> durable) implements Step {
        }

        /** Not yet: come back to this record (and everything after it in its partition) at {@code due}. */
        record WaitUntil(Instant due) implements Step {
        }

        static Step done() {
            return new Done(CompletableFuture.completedFuture(null));
        }

        static Step after(CompletionStage<?> durable) {
            return new Done(durable);
        }
    }
}
