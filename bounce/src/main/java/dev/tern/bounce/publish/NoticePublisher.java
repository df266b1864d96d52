package dev.tern.bounce.publish;

import dev.tern.common.kafka.KafkaSends;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Topics;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Puts notices on {@code tern.inbound}, where they are delivered like any other mail.
 *
 * <p>The producer must carry Tern's durability settings ({@code KafkaClients.producer}: acks=all,
 * idempotent), so the returned stage completes only once every in-sync replica has the notice —
 * the point after which the bounce service may commit its input. Thread-safe (the Kafka producer
 * is); the stage completes on the producer's I/O thread.
 */
public final class NoticePublisher {

    private final Producer<String, byte[]> producer;
    private final NoticeTrace trace;

    public NoticePublisher(Producer<String, byte[]> producer) {
        this(producer, NoticeTrace.NONE);
    }

    /** @param trace told about each notice after Kafka acknowledged it */
    public NoticePublisher(Producer<String, byte[]> producer, NoticeTrace trace) {
        this.producer = producer;
        this.trace = trace;
    }

    public CompletionStage<RecordMetadata> publish(QueuedMessage notice) {
        return KafkaSends.send(producer, RecordCodec.toRecord(Topics.INBOUND, notice));
    }

    /**
     * Publishes a notice about {@code about} and, once acknowledged, tells the {@link NoticeTrace}.
     *
     * @param action {@code failed} or {@code delayed}
     */
    public CompletionStage<RecordMetadata> publish(QueuedMessage notice, QueuedMessage about, String action) {
        return publish(notice).thenApply(metadata -> {
            trace.published(about, notice, action);
            return metadata;
        });
    }
}
