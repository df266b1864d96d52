package dev.tern.common.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@link Producer#send} as a {@link CompletableFuture}: it completes when the broker acknowledged
 * the record (with {@code KafkaClients.producer}'s acks=all: every in-sync replica has it), and
 * completes exceptionally when the send failed, including when {@code send()} itself throws
 * (oversized record, closed producer, metadata wait exceeded). Callers that may only move an offset
 * after a record is durable wait on this future. Completion runs on the producer's I/O thread.
 */
public final class KafkaSends {

    private KafkaSends() {
    }

    public static <K, V> CompletableFuture<RecordMetadata> send(Producer<K, V> producer, ProducerRecord<K, V> record) {
        var done = new CompletableFuture<RecordMetadata>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Sends every record; completes when all are acknowledged, exceptionally when any failed. */
    public static <K, V> CompletableFuture<Void> sendAll(Producer<K, V> producer, List<ProducerRecord<K, V>> records) {
        var futures = new ArrayList<CompletableFuture<RecordMetadata>>(records.size());
        for (var r : records) {
            futures.add(send(producer, r));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }
}
