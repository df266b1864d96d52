package dev.tern.bounce.support;

import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.kafka.KafkaClients;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Reads a consumer group's committed offsets from the broker, as an operator's tooling would. */
public final class CommittedOffsets implements AutoCloseable {

    private final Admin admin;
    private final String group;

    public CommittedOffsets(String bootstrap, String group) {
        this.admin = Admin.create(KafkaClients.admin(bootstrap, KafkaClientProperties.none()));
        this.group = group;
    }

    /** The group's committed offset of {@code partition}, or -1 when it has none. */
    public long of(TopicPartition partition) throws Exception {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS).get(partition);
        return committed == null ? -1 : committed.offset();
    }

    /** The committed offset once it is past {@code offset}, or the last one read when {@code wait} ran out. */
    public long awaitPast(TopicPartition partition, long offset, Duration wait) throws Exception {
        Instant end = Instant.now().plus(wait);
        long committed = of(partition);
        while (committed <= offset && Instant.now().isBefore(end)) {
            Thread.sleep(200);
            committed = of(partition);
        }
        return committed;
    }

    @Override
    public void close() {
        admin.close();
    }
}
