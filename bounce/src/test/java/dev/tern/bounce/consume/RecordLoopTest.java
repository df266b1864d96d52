package dev.tern.bounce.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.MutableClock;

import dev.tern.bounce.consume.RecordHandler.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordLoopTest {

    private static final String TOPIC = "tern.failed";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final Map<Long, Step> steps = new HashMap<>();
    /** Written by the polling thread in one test, read by the test's. */
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private RecordLoop loop;

    @BeforeEach
    void setUp() {
        loop = new RecordLoop("test", consumer, List.of(TOPIC), record -> {
            handled.add(record.partition() + "@" + record.offset());
            return steps.getOrDefault(record.offset(), Step.done());
        }, clock, Duration.ofSeconds(5));
        loop.subscribe();
        consumer.rebalance(List.of(P0, P1));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    }

    private void add(TopicPartition tp, long offset) {
        consumer.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), offset, "k" + offset, new byte[0]));
    }

    private Long committed(TopicPartition tp) {
        var c = consumer.committed(Set.of(tp)).get(tp);
        return c == null ? null : c.offset();
    }

    @Test
    void commitsOnlyAfterTheWorkOfEveryRecordIsDurable() throws Exception {
        var slow = new CompletableFuture<Void>();
        steps.put(1L, Step.after(slow));
        add(P0, 0);
        add(P0, 1);
        add(P0, 2);

        var polling = CompletableFuture.runAsync(loop::pollOnce);
        // Once the slow record is being handled, nothing may be committed until its work is durable.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!handled.contains("0@1") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(handled).contains("0@1");
        assertThat(polling).isNotDone();
        assertThat(committed(P0)).isNull();

        slow.complete(null);
        polling.get();
        assertThat(committed(P0)).isEqualTo(3L);
        assertThat(handled).containsExactly("0@0", "0@1", "0@2");
    }

    @Test
    void failedWorkCommitsTheRecordsBeforeItAndHoldsThePartitionForTheBackoff() {
        steps.put(1L, Step.after(CompletableFuture.failedFuture(new IllegalStateException("kafka down"))));
        add(P0, 0);
        add(P0, 1);
        add(P0, 2);
        add(P1, 0);

        loop.pollOnce();

        assertThat(committed(P0)).isEqualTo(1L);
        assertThat(committed(P1)).isEqualTo(1L);
        assertThat(consumer.position(P0)).isEqualTo(1L);
        assertThat(consumer.paused()).containsExactly(P0);

        clock.advance(Duration.ofSeconds(6));
        steps.clear();
        add(P0, 1);
        add(P0, 2);
        loop.pollOnce();
        assertThat(consumer.paused()).isEmpty();
        assertThat(committed(P0)).isEqualTo(3L);
    }

    @Test
    void aHandlerExceptionIsFailedWorkNotACrash() {
        loop = new RecordLoop("test", consumer, List.of(TOPIC), record -> {
            throw new IllegalArgumentException("boom");
        }, clock, Duration.ofSeconds(5));
        add(P0, 0);

        loop.pollOnce();

        assertThat(committed(P0)).isNull();
        assertThat(consumer.paused()).containsExactly(P0);
    }

    @Test
    void waitUntilHoldsThePartitionAtThatRecordUntilItIsDue() {
        Instant due = clock.instant().plus(Duration.ofMinutes(10));
        steps.put(1L, new Step.WaitUntil(due));
        add(P0, 0);
        add(P0, 1);
        add(P0, 2);

        loop.pollOnce();

        assertThat(handled).containsExactly("0@0", "0@1");
        assertThat(committed(P0)).isEqualTo(1L);
        assertThat(consumer.position(P0)).isEqualTo(1L);
        assertThat(loop.held()).containsEntry(P0, due);

        clock.advance(Duration.ofMinutes(9));
        loop.pollOnce();
        assertThat(consumer.paused()).containsExactly(P0);

        clock.advance(Duration.ofMinutes(1));
        steps.clear();
        add(P0, 1);
        add(P0, 2);
        loop.pollOnce();
        assertThat(consumer.paused()).isEmpty();
        assertThat(committed(P0)).isEqualTo(3L);
    }
}
