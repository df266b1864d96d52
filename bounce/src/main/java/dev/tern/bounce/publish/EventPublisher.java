package dev.tern.bounce.publish;

import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.kafka.KafkaSends;
import dev.tern.common.queue.Topics;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes the bounce service's {@link DeliveryEvent}s (outcomes learnt from reports at the bounce
 * address) to {@code tern.events}, keyed by queue id like delivery's own. Same producer and
 * guarantees as {@link NoticePublisher}: the stage completes once every in-sync replica has it.
 * Thread-safe.
 */
public final class EventPublisher {

    private final Producer<String, byte[]> producer;

    public EventPublisher(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    public CompletionStage<RecordMetadata> publish(DeliveryEvent event) {
        return KafkaSends.send(producer, event.toRecord(Topics.EVENTS));
    }
}
