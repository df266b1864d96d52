package dev.tern.bounce.failure;

import dev.tern.bounce.consume.RecordHandler;
import dev.tern.bounce.dsn.NoticeBuilder;
import dev.tern.bounce.dsn.NoticeIds;
import dev.tern.bounce.metrics.BounceMetrics;
import dev.tern.bounce.publish.NoticePublisher;
import dev.tern.bounce.suppression.SuppressionWriter;
import dev.tern.common.classify.BounceAction;
import dev.tern.common.classify.BounceClassifier;
import dev.tern.common.classify.Classification;
import dev.tern.common.queue.MalformedRecordException;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.suppression.SuppressionList;
import dev.tern.smtp.reply.Reply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Handles one {@code tern.failed} record: the failure notice for its sender, and the suppression
 * of its hard-bounced recipients (docs/ARCHITECTURE.md, "Bounces"; RFC 3464, RFC 3461 §4).
 *
 * <ul>
 *   <li>Undecodable record: logged, counted ({@code tern_bounce_malformed_records_total}) and
 *       skipped — it can never become a notice and must not block its partition.</li>
 *   <li>Null sender: no notice ever (RFC 5321 §6.1), counted
 *       ({@code tern_bounce_null_sender_total}), logged at debug.</li>
 *   <li>Otherwise one DSN for the recipients that want failure notices ({@link NoticeBuilder}),
 *       published to {@code tern.inbound}; the record is done when Kafka acknowledged it. Its queue
 *       id is derived from the input ({@link NoticeIds}), so a re-read after a crash republishes
 *       the same notice under the same id.</li>
 *   <li>Every recipient's last reply is classified with the live policy's {@link BounceClassifier}
 *       (docs/ARCHITECTURE.md, "Bounce classification"): the category goes into the DSN, and a
 *       recipient whose rule says {@code suppress} (by default: a permanent invalid-recipient
 *       failure, or a 5.1.1/5.1.2/5.1.3/5.1.6/5.1.10 status) is added to the suppression list for
 *       {@code suppressFor}, whatever NOTIFY said and whoever the sender was.
 *       A suppression-list failure is counted and logged but does not hold the record: one missed
 *       suppression costs one more bounce later, a stalled partition costs every notice behind it.</li>
 * </ul>
 * Runs on the consumer thread; all I/O is asynchronous. Thread-safe (stateless).
 */
public final class FailureHandler implements RecordHandler {

    private static final Logger LOG = Logger.getLogger(FailureHandler.class);

    private final NoticeBuilder builder;
    private final NoticePublisher publisher;
    private final SuppressionWriter suppression;
    private final Duration suppressFor;
    private final Supplier<BounceClassifier> classifier;
    private final BounceMetrics metrics;

    public FailureHandler(NoticeBuilder builder, NoticePublisher publisher, SuppressionList suppression,
            Duration suppressFor, Supplier<BounceClassifier> classifier, BounceMetrics metrics, Clock clock) {
        this.builder = builder;
        this.publisher = publisher;
        this.suppression = new SuppressionWriter(suppression, metrics, clock);
        this.suppressFor = suppressFor;
        this.classifier = classifier;
        this.metrics = metrics;
    }

    @Override
    public Step handle(ConsumerRecord<String, byte[]> record) {
        QueuedMessage failed;
        try {
            failed = RecordCodec.fromRecord(record);
        } catch (MalformedRecordException e) {
            LOG.warnf("skipping undecodable record %s-%d@%d (id %s): %s", record.topic(), record.partition(),
                    record.offset(), RecordCodec.idOf(record.headers()), e.getMessage());
            metrics.malformed("failed");
            return Step.done();
        }
        Map<String, Classification> classified = classify(failed);
        CompletionStage<Void> suppressed = suppress(failed, classified);
        if (failed.hasNullSender()) {
            metrics.nullSender();
            LOG.debugf("%s: null sender, no notice for %d failed recipient(s)", failed.id(), failed.recipients().size());
            return Step.after(suppressed);
        }
        Instant lastAttempt = Instant.ofEpochMilli(record.timestamp());
        Optional<QueuedMessage> notice = builder.failure(failed, lastAttempt, noticeId(failed, lastAttempt),
                r -> classified.containsKey(r.address()) ? classified.get(r.address()).category().label() : null);
        if (notice.isEmpty()) {
            LOG.debugf("%s: no recipient asked for a failure notice (NOTIFY)", failed.id());
            return Step.after(suppressed);
        }
        CompletionStage<Void> published = publisher.publish(notice.get(), failed, "failed").handle((metadata, error) -> {
            if (error != null) {
                metrics.error("publish");
                throw new IllegalStateException("failure notice for " + failed.id() + " not published", error);
            }
            metrics.notice(BounceMetrics.FAILED);
            LOG.debugf("%s: failure notice %s to <%s>", failed.id(), notice.get().id(), failed.sender());
            return null;
        });
        return Step.after(CompletableFuture.allOf(published.toCompletableFuture(), suppressed.toCompletableFuture()));
    }

    /** Same input (message, attempt, recipients) → same notice id; see {@link NoticeIds}. */
    static String noticeId(QueuedMessage failed, Instant time) {
        var seed = new StringBuilder("failed\0").append(failed.id()).append('\0').append(failed.schedule().attempt());
        failed.recipients().forEach(r -> seed.append('\0').append(r.address()));
        return NoticeIds.of(time, seed.toString());
    }

    /** The classification of each recipient's last reply, by address; recipients without one are left out. */
    private Map<String, Classification> classify(QueuedMessage failed) {
        BounceClassifier rules = classifier.get();
        var out = new HashMap<String, Classification>();
        for (QueuedRecipient r : failed.recipients()) {
            if (r.lastReply() != null) {
                out.put(r.address(), rules.classify(r.lastReply()));
            }
        }
        return out;
    }

    private CompletionStage<Void> suppress(QueuedMessage failed, Map<String, Classification> classified) {
        List<CompletableFuture<Void>> adds = new ArrayList<>();
        for (QueuedRecipient r : failed.recipients()) {
            Reply reply = r.lastReply();
            Classification c = classified.get(r.address());
            if (c != null && c.action() == BounceAction.SUPPRESS) {
                LOG.debugf("%s: suppressing <%s> (%s by %s): %s", failed.id(), r.address(), c.category().label(),
                        c.rule(), reply);
                adds.add(suppression.suppress(failed.id(), r.address(), reply.toString(), suppressFor));
            }
        }
        return CompletableFuture.allOf(adds.toArray(CompletableFuture[]::new));
    }
}
