package dev.tern.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.junit.jupiter.api.Test;

class PollLoopTest {

    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
    private final List<String> calls = new ArrayList<>();

    @Test
    void startsPollsAfterAFailedPollAndFinishesBeforeClosing() throws Exception {
        var threePolls = new CountDownLatch(3);
        var loop = new PollLoop("test", consumer, new PollLoop.Body() {
            int polls;

            @Override
            public void start() {
                calls.add("start");
            }

            @Override
            public void pollOnce() {
                threePolls.countDown();
                if (polls++ == 0) {
                    throw new IllegalStateException("broker away");
                }
                consumer.poll(Duration.ofMillis(50));
            }

            @Override
            public void finish() {
                calls.add("finish closed=" + consumer.closed());
            }
        }, Duration.ofMillis(1), Duration.ofSeconds(1), true);
        var thread = new Thread(loop);
        thread.start();
        assertThat(threePolls.await(30, TimeUnit.SECONDS)).isTrue();
        loop.stop();
        thread.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(calls).containsExactly("start", "finish closed=false");
        assertThat(consumer.closed()).isTrue();
        assertThat(loop.stopped()).isTrue();
    }

    @Test
    void aFailureWhileStartingEndsTheLoopAndStillClosesTheConsumer() {
        var loop = new PollLoop("test", consumer, new PollLoop.Body() {
            @Override
            public void start() {
                throw new IllegalStateException("no topic");
            }

            @Override
            public void pollOnce() {
                calls.add("poll");
            }
        }, Duration.ofMillis(1), Duration.ofSeconds(1), false);
        loop.run();
        assertThat(calls).isEmpty();
        assertThat(consumer.closed()).isTrue();
        assertThat(loop.stopped()).isTrue();
    }
}
