package dev.tern.common.kafka;

import java.time.Duration;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The life of a thread that owns one Kafka consumer: set up (subscribe or assign), poll until
 * {@link #stop()}, finish (drain, last commit), close the consumer. What a poll does and when
 * offsets are committed is the {@link Body}'s business: each service keeps its own at-least-once
 * rules; this class keeps the lifecycle and the error handling the same everywhere.
 *
 * <p>Failure: an exception from one poll is logged and the loop polls again after
 * {@code errorBackoff}, so a broker outage does not end the loop; an exception while setting up or
 * finishing ends it (logged), except an authentication failure, which {@link KafkaAuthFailures}
 * reports and after which set-up is tried again. {@link WakeupException}s are how {@link #stop()} interrupts a blocking
 * call and are not errors. Threading: {@link #run()} on the consumer's thread; {@link #stop()} from
 * any thread.
 */
public final class PollLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(PollLoop.class);

    /** What one consumer thread does; called on that thread only. */
    public interface Body {

        /** Subscribes or assigns; may block (a {@link WakeupException} then means stop). */
        void start();

        /** One poll and its work (and commit, when this body commits per poll). */
        void pollOnce();

        /** After the last poll, before the consumer closes: wait for work, commit. */
        default void finish() {
        }
    }

    private final String name;
    private final Consumer<?, ?> consumer;
    private final Body body;
    private final Duration errorBackoff;
    private final Duration closeTimeout;
    private final boolean wakeupOnStop;
    private volatile boolean running = true;
    private volatile boolean stopped;

    /**
     * @param wakeupOnStop whether {@link #stop()} interrupts a blocking consumer call; false when
     *                     the body commits synchronously inside a poll and must not be interrupted
     *                     there (its polls are then short, so stopping still takes at most one poll)
     */
    public PollLoop(String name, Consumer<?, ?> consumer, Body body, Duration errorBackoff, Duration closeTimeout,
            boolean wakeupOnStop) {
        this.name = name;
        this.consumer = consumer;
        this.body = body;
        this.errorBackoff = errorBackoff;
        this.closeTimeout = closeTimeout;
        this.wakeupOnStop = wakeupOnStop;
    }

    @Override
    public void run() {
        try {
            startOnceAuthenticated();
            while (running) {
                try {
                    body.pollOnce();
                } catch (WakeupException e) {
                    // stop() woke us up; the loop condition decides.
                } catch (RuntimeException e) {
                    if (!KafkaAuthFailures.report(e)) {
                        LOG.errorf(e, "%s: poll failed, polling again in %s", name, errorBackoff);
                    }
                    sleep(errorBackoff);
                }
            }
            body.finish();
        } catch (WakeupException e) {
            // stop() while setting up or finishing.
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: consumer loop stopped", name);
        } finally {
            consumer.close(closeTimeout);
            stopped = true;
            LOG.infof("%s: consumer closed", name);
        }
    }

    /** Wrong credentials are no reason to end the loop: they are reported (once) and set-up is tried again. */
    private void startOnceAuthenticated() {
        while (true) {
            try {
                body.start();
                return;
            } catch (RuntimeException e) {
                if (!running || !KafkaAuthFailures.report(e)) {
                    throw e;
                }
                sleep(errorBackoff);
            }
        }
    }

    /** Asks the loop to end after the current poll; {@link Body#finish()} then runs. */
    public void stop() {
        running = false;
        if (wakeupOnStop) {
            consumer.wakeup();
        }
    }

    public boolean running() {
        return running;
    }

    /** True once the consumer is closed. */
    public boolean stopped() {
        return stopped;
    }

    /** Sleeps, keeping the interrupt flag if interrupted; for waits between polls on the loop's thread. */
    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
