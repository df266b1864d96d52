package dev.tern.delivery.retry;

import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.kafka.KafkaSends;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Topics;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Makes a {@link Disposition} durable: produces its events, retry record and failure record and
 * completes only when Kafka has acknowledged every one of them ({@code acks=all}, idempotent
 * producer from {@code KafkaClients}). Only then may the consumer count the source record as done.
 *
 * <p>Why not a Kafka transaction: the remote server's 250 is outside any transaction anyway, so
 * exactly-once is impossible end to end; waiting for acks gives at-least-once for the outcome
 * records, and the journal bounds the duplicates a redelivery can cause. Thread-safe (the Kafka
 * producer is); the returned future completes on the producer's I/O thread.
 */
public final class OutcomeWriter {

    private final Producer<String, byte[]> producer;

    public OutcomeWriter(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    public CompletableFuture<Void> write(Disposition d) {
        var records = new ArrayList<ProducerRecord<String, byte[]>>();
        for (DeliveryEvent e : d.events()) {
            records.add(e.toRecord(Topics.EVENTS));
        }
        if (d.retry() != null) {
            records.add(RecordCodec.toRecord(d.retryTopic(), d.retry()));
        }
        if (d.failed() != null) {
            records.add(RecordCodec.toRecord(Topics.FAILED, d.failed()));
        }
        return KafkaSends.sendAll(producer, records);
    }
}
