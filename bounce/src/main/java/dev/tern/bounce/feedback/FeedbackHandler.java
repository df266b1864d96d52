package dev.tern.bounce.feedback;

import dev.tern.bounce.consume.RecordHandler;
import dev.tern.bounce.metrics.BounceMetrics;
import dev.tern.bounce.publish.EventPublisher;
import dev.tern.bounce.suppression.SuppressionWriter;
import dev.tern.common.classify.BounceClassifier;
import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.common.logging.ThrottledWarning;
import dev.tern.common.policy.Feedback;
import dev.tern.common.queue.MalformedRecordException;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.RecordCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Handles one {@code tern.feedback} record, a message that arrived at the bounce domain
 * (docs/ARCHITECTURE.md, "Feedback loops and VERP"): reads it ({@link FeedbackReading}), puts
 * failed recipients and complainers on the suppression list, and writes one {@link DeliveryEvent}
 * per finding to {@code tern.events} with transport {@code feedback}: {@code BOUNCED} for a failed
 * DSN, {@code DEFERRED} for a delayed one, {@code COMPLAINED} for a complaint. The event's message
 * id is the queue id of the reported message when the VERP address names it, else this report's own.
 *
 * <ul>
 *   <li>Undecodable record, or a message that is not a report Tern reads: counted
 *       ({@code tern_bounce_malformed_records_total{source="feedback"}},
 *       {@code tern_bounce_feedback_total{type="unparsable"}}), logged at most once a minute, and
 *       skipped: it can never become anything else and must not block its partition.</li>
 *   <li>The record is done once Kafka has acknowledged its events (a failure holds it back and it
 *       is read again; its events and suppressions are then repeated, which is harmless). Suppression
 *       writes are counted but never hold it, as for hard bounces ({@link SuppressionWriter}).</li>
 * </ul>
 * Runs on the consumer thread; all I/O is asynchronous. Thread-safe (stateless).
 */
public final class FeedbackHandler implements RecordHandler {

    private static final Logger LOG = Logger.getLogger(FeedbackHandler.class);
    /** One line a minute however many unreadable reports arrive: the metric counts them all. */
    private static final ThrottledWarning UNPARSABLE = new ThrottledWarning(LOG, Duration.ofMinutes(1));
    public static final String TRANSPORT = "feedback";

    private final Supplier<Feedback> feedback;
    private final Supplier<BounceClassifier> classifier;
    private final EventPublisher events;
    private final SuppressionWriter suppression;
    private final Duration bounceSuppressFor;
    private final Duration complaintSuppressFor;
    private final BounceMetrics metrics;
    private final Clock clock;

    public FeedbackHandler(Supplier<Feedback> feedback, Supplier<BounceClassifier> classifier, EventPublisher events,
            SuppressionWriter suppression,
            Duration bounceSuppressFor, Duration complaintSuppressFor, BounceMetrics metrics, Clock clock) {
        this.feedback = feedback;
        this.classifier = classifier;
        this.events = events;
        this.suppression = suppression;
        this.bounceSuppressFor = bounceSuppressFor;
        this.complaintSuppressFor = complaintSuppressFor;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public Step handle(ConsumerRecord<String, byte[]> record) {
        QueuedMessage report;
        try {
            report = RecordCodec.fromRecord(record);
        } catch (MalformedRecordException e) {
            metrics.malformed("feedback");
            UNPARSABLE.warn("skipping undecodable record %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return Step.done();
        }
        List<FeedbackFinding> findings;
        try {
            findings = FeedbackReading.read(report.recipients().stream().map(QueuedRecipient::address).toList(),
                    report.body(), feedback.get(), classifier.get());
        } catch (RuntimeException e) {
            // Unparsable (or a parser bug on hostile input): never a reason to stop the loop.
            metrics.feedback("unparsable");
            UNPARSABLE.warn("%s: mail from <%s> at the bounce address is not a report Tern reads: %s", report.id(),
                    report.sender(), e.toString());
            return Step.done();
        }
        if (findings.isEmpty()) {
            metrics.feedback("ignored");
            LOG.debugf("%s: report with nothing to act on", report.id());
            return Step.done();
        }
        var work = new ArrayList<CompletableFuture<?>>();
        for (FeedbackFinding f : findings) {
            metrics.feedback(f.kind().label());
            String about = f.queueId() != null ? f.queueId() : report.id();
            if (f.suppress()) {
                Duration duration = f.kind() == FeedbackFinding.Kind.COMPLAINT ? complaintSuppressFor : bounceSuppressFor;
                work.add(suppression.suppress(about, f.recipient(), f.detail(), duration));
            }
            LOG.infof("%s: %s for <%s>: %s%s", about, f.kind().label(), f.recipient(), f.detail(),
                    f.suppress() ? " (suppressed)" : "");
            work.add(events.publish(event(about, f)).toCompletableFuture().whenComplete((m, error) -> {
                if (error != null) {
                    metrics.error("event");
                }
            }));
        }
        return Step.after(CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)));
    }

    private DeliveryEvent event(String messageId, FeedbackFinding f) {
        Outcome outcome = switch (f.kind()) {
            case DSN_FAILED -> Outcome.BOUNCED;
            case DSN_DELAYED -> Outcome.DEFERRED;
            case COMPLAINT -> Outcome.COMPLAINED;
        };
        int at = f.recipient().lastIndexOf('@');
        String domain = at < 0 ? null : f.recipient().substring(at + 1).toLowerCase(Locale.ROOT);
        return new DeliveryEvent(messageId, f.recipient(), null, domain, TRANSPORT, null, null, null, f.replyCode(),
                f.detail(), 0, 0, outcome, clock.millis());
    }
}
