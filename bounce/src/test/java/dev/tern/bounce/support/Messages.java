package dev.tern.bounce.support;

import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.Recipient;
import dev.tern.common.queue.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Builders for queued messages and records in the shapes the delivery service writes them. */
public final class Messages {

    private Messages() {
    }

    public static byte[] body(String marker) {
        return ("Message-ID: <" + marker + "@client.test>\r\nFrom: sender@origin.test\r\nTo: rcpt@remote.test\r\n"
                + "Subject: hello " + marker + "\r\n\r\nbody of " + marker + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    public static Recipient failedRecipient(String address, String reply, String mx) {
        return new Recipient(address, Set.of(), null, reply, mx);
    }

    public static Recipient recipient(String address, Set<Recipient.Notify> notify, String reply) {
        return new Recipient(address, notify, null, reply, "mx.remote.test");
    }

    public static QueuedMessage message(String id, String sender, List<Recipient> recipients, Instant firstReceived,
            Instant notBefore, String ret, String marker) {
        return new QueuedMessage(id, sender, recipients, 1, notBefore, firstReceived, null, "192.0.2.1",
                "client.test", null, null, "env-" + id, ret, null, false, body(marker));
    }

    public static ConsumerRecord<String, byte[]> record(String topic, int partition, long offset, QueuedMessage m,
            Instant timestamp) {
        var headers = RecordCodec.headers(m);
        return new ConsumerRecord<>(topic, partition, offset, timestamp.toEpochMilli(), TimestampType.CREATE_TIME,
                -1, -1, m.id(), m.body(), headers, java.util.Optional.empty());
    }

    public static ConsumerRecord<String, byte[]> garbage(String topic, int partition, long offset) {
        return new ConsumerRecord<>(topic, partition, offset, 0L, TimestampType.CREATE_TIME, -1, -1, "junk",
                new byte[] {1, 2, 3}, new RecordHeaders(), java.util.Optional.empty());
    }
}
