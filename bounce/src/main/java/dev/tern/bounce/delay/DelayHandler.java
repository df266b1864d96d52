package dev.tern.bounce.delay;

import dev.tern.bounce.consume.RecordHandler;
import dev.tern.bounce.dsn.NoticeBuilder;
import dev.tern.bounce.dsn.NoticeIds;
import dev.tern.bounce.metrics.BounceMetrics;
import dev.tern.bounce.publish.NoticePublisher;
import dev.tern.common.queue.MalformedRecordException;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.RecordCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Sends one "delayed" DSN per message that stays queued past {@code delay-notice-after}
 * (docs/ARCHITECTURE.md, "Bounces"; RFC 3464 §2.3.3 Action delayed, §2.3.9 Will-Retry-Until; RFC 3461 §4.1:
 * only to recipients that asked for NOTIFY=DELAY, or gave no NOTIFY, where delay notices are the
 * MTA's choice).
 *
 * <p>Source: the retry-tier records. Each is the durable fact "this message is still queued, next
 * attempt at {@code not-before}", and carries the whole envelope a DSN needs (first received,
 * NOTIFY, ORCPT, ENVID, RET, the headers, the last reply); a {@code tern.events} DEFERRED event
 * carries none of those. For a record of message M, with {@code T = firstReceived +
 * delay-notice-after}:
 * <ul>
 *   <li>{@code now >= not-before}: stale — M has had its next attempt since; if it is still queued a
 *       newer retry record says so. Skipped (this also keeps a new consumer group reading old
 *       tiers from sending notices for mail delivered long ago).</li>
 *   <li>{@code not-before <= T}: M is tried again before T. Skipped; a later record decides.</li>
 *   <li>{@code T} at or after expiry ({@code firstReceived + max-queue-lifetime}): the failure
 *       notice will say it all. Skipped.</li>
 *   <li>{@code now < T < not-before}: M will still be queued at T. The partition waits until T
 *       ({@link Step.WaitUntil}), so the notice goes out on time, not early. Records behind it in
 *       the partition wait too, at most one tier delay, and are still before their own
 *       {@code not-before} when their turn comes, since the partition is in {@code not-before} order.</li>
 *   <li>{@code T <= now < not-before}: notice now, unless M is in {@link NotifiedMessages}.</li>
 * </ul>
 * Order of work: look up the id, publish, then remember it. A crash between the Kafka ack and the
 * remember can send a second notice (same queue id, so usually stopped by the delivery journal);
 * remembering first could lose the notice instead. Two records of the same message on two pods at
 * once (a message split by destination) can both notify — rare, and harmless.
 * Within one pod, records of a message already being notified wait for that notice instead.
 * Runs on the consumer thread; I/O is asynchronous. Thread-safe.
 */
public final class DelayHandler implements RecordHandler {

    private static final Logger LOG = Logger.getLogger(DelayHandler.class);

    private final NoticeBuilder builder;
    private final NoticePublisher publisher;
    private final NotifiedMessages notified;
    private final Supplier<Duration> delayNoticeAfter;
    private final Supplier<Duration> maxQueueLifetime;
    private final BounceMetrics metrics;
    private final Clock clock;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    public DelayHandler(NoticeBuilder builder, NoticePublisher publisher, NotifiedMessages notified,
            Supplier<Duration> delayNoticeAfter, Supplier<Duration> maxQueueLifetime, BounceMetrics metrics,
            Clock clock) {
        this.builder = builder;
        this.publisher = publisher;
        this.notified = notified;
        this.delayNoticeAfter = delayNoticeAfter;
        this.maxQueueLifetime = maxQueueLifetime;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public Step handle(ConsumerRecord<String, byte[]> record) {
        QueuedMessage waiting;
        try {
            waiting = RecordCodec.fromRecord(record);
        } catch (MalformedRecordException e) {
            LOG.warnf("skipping undecodable record %s-%d@%d (id %s): %s", record.topic(), record.partition(),
                    record.offset(), RecordCodec.idOf(record.headers()), e.getMessage());
            metrics.malformed("retry");
            return Step.done();
        }
        if (waiting.hasNullSender() || waiting.recipients().stream().noneMatch(r -> r.wantsDelayNotice())) {
            return Step.done();
        }
        Instant now = clock.instant();
        Instant notBefore = waiting.schedule().notBefore();
        Instant threshold = waiting.schedule().firstReceived().plus(delayNoticeAfter.get());
        Instant expiry = waiting.schedule().firstReceived().plus(maxQueueLifetime.get());
        if (notBefore == null || !now.isBefore(notBefore) || !notBefore.isAfter(threshold)
                || !threshold.isBefore(expiry)) {
            return Step.done();
        }
        if (now.isBefore(threshold)) {
            return new Step.WaitUntil(threshold);
        }
        Instant lastAttempt = Instant.ofEpochMilli(record.timestamp());
        // One id per message, so every copy of its delay notice is the same queued message.
        String id = NoticeIds.of(threshold, "delayed\0" + waiting.id());
        // A second record of the same message in the same poll must not race the first past the
        // shared lookup: it waits for the first one's outcome instead.
        var mine = new CompletableFuture<Void>();
        CompletableFuture<Void> earlier = inFlight.putIfAbsent(waiting.id(), mine);
        if (earlier != null) {
            return Step.after(earlier);
        }
        notified.contains(waiting.id()).handle((already, error) -> {
            if (error != null) {
                metrics.error("dedupe");
                throw new IllegalStateException("cannot check delay notices of " + waiting.id(), error);
            }
            return already;
        }).thenCompose(already -> already ? CompletableFuture.<Void>completedFuture(null)
                : notify(waiting, lastAttempt, expiry, id)).whenComplete((v, error) -> {
                    inFlight.remove(waiting.id(), mine);
                    if (error != null) {
                        mine.completeExceptionally(error);
                    } else {
                        mine.complete(null);
                    }
                });
        return Step.after(mine);
    }

    private CompletableFuture<Void> notify(QueuedMessage waiting, Instant lastAttempt, Instant expiry, String id) {
        Optional<QueuedMessage> notice = builder.delay(waiting, lastAttempt, expiry, id);
        if (notice.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Duration lifespan = maxQueueLifetime.get();
        return publisher.publish(notice.get(), waiting, "delayed").handle((metadata, error) -> {
            if (error != null) {
                metrics.error("publish");
                throw new IllegalStateException("delay notice for " + waiting.id() + " not published", error);
            }
            metrics.notice(BounceMetrics.DELAYED);
            LOG.debugf("%s: delay notice %s to <%s>", waiting.id(), id, waiting.sender());
            return null;
        }).thenCompose(v -> notified.remember(waiting.id(), lifespan).exceptionally(error -> {
            // Published but not remembered: a later record of this message may notify again.
            metrics.error("dedupe");
            LOG.warnf("%s: delay notice sent but not recorded: %s", waiting.id(), error.toString());
            return null;
        })).toCompletableFuture();
    }
}
