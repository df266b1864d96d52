package dev.tern.bounce.support;

import dev.tern.common.queue.Provenance;
import dev.tern.common.queue.QueuedEnvelope;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Schedule;
import dev.tern.smtp.dsn.Notify;
import dev.tern.smtp.dsn.Ret;
import dev.tern.smtp.reply.Reply;
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

    /**
     * {@code "550 5.1.1 no such user"} as a reply: code, enhanced status when the second word is one,
     * text; null for null or for text that is not a reply (the codec drops such a stored reply).
     */
    public static Reply reply(String text) {
        if (text == null || !text.matches("[2-5]\\d\\d .+")) {
            return null;
        }
        String[] words = text.split(" ", 3);
        if (words.length == 3 && words[1].matches("\\d\\.\\d{1,3}\\.\\d{1,3}")) {
            return Reply.of(Integer.parseInt(words[0]), words[1], words[2]);
        }
        return Reply.of(Integer.parseInt(words[0]), text.substring(4));
    }

    public static QueuedRecipient failedRecipient(String address, String reply, String mx) {
        return new QueuedRecipient(address, Set.of(), null, reply(reply), mx);
    }

    public static QueuedRecipient recipient(String address, Set<Notify> notify, String reply) {
        return new QueuedRecipient(address, notify, null, reply(reply), "mx.remote.test");
    }

    public static QueuedMessage message(String id, String sender, List<QueuedRecipient> recipients,
            Instant firstReceived, Instant notBefore, Ret ret, String marker) {
        return new QueuedMessage(id, new QueuedEnvelope(sender, recipients, "env-" + id, ret, null, false),
                new Provenance("192.0.2.1", "client.test", null, null), new Schedule(1, notBefore, firstReceived),
                body(marker));
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
