package dev.tern.bounce.dsn;

import dev.tern.common.queue.Provenance;
import dev.tern.common.queue.QueuedEnvelope;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.Schedule;
import dev.tern.smtp.dsn.DeliveryStatusNotification;
import dev.tern.smtp.dsn.DsnAction;
import dev.tern.smtp.dsn.RecipientReport;
import dev.tern.smtp.dsn.Ret;
import dev.tern.smtp.parse.BodyType;
import dev.tern.smtp.reply.EnhancedStatus;
import dev.tern.smtp.reply.Reply;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns a queued message that failed (from {@code tern.failed}) or is still waiting (from a retry
 * tier) into the notice for its sender: an RFC 3464 DSN wrapped as a new {@link QueuedMessage}
 * ready for {@code tern.inbound}.
 *
 * <p>What goes in (RFC 3461 §4, RFC 3464 §2):
 * <ul>
 *   <li>never anything for a null-sender message (RFC 5321 §6.1: a bounce is never bounced);</li>
 *   <li>one DSN per input record, covering each recipient that asked for this kind of notice —
 *       {@link QueuedRecipient#wantsFailureNotice()} or {@link QueuedRecipient#wantsDelayNotice()}; NOTIFY=NEVER
 *       recipients are left out, and a record with none left gives no DSN;</li>
 *   <li>per recipient: Final-Recipient, Original-Recipient from ORCPT, Action, Status from the
 *       stored reply's enhanced code (else {@code X.0.0} of its class; {@code 5.0.0} without any
 *       reply), Diagnostic-Code {@code smtp; <reply>}, Remote-MTA from the host that replied,
 *       Last-Attempt-Date, and for delays Will-Retry-Until; for failures the bounce category
 *       (docs/ARCHITECTURE.md, "Bounce classification") as {@code X-Tern-Category} and a
 *       "Category:" line in the human-readable part;</li>
 *   <li>per message: Original-Envelope-Id (ENVID), Arrival-Date (first received), the original
 *       returned per RET (FULL unless HDRS; delay notices return headers only), capped at
 *       {@code maxReturnedSize}.</li>
 * </ul>
 * The notice is sent from {@code <>} to the original sender, with BODY=8BITMIME and SMTPUTF8 set
 * when the rendered DSN needs them. Pure apart from the clock; thread-safe.
 */
public final class NoticeBuilder {

    private static final EnhancedStatus UNDEFINED_PERMANENT = new EnhancedStatus(5, 0, 0);

    private final String reportingMta;
    private final long maxReturnedSize;
    private final Clock clock;

    public NoticeBuilder(String reportingMta, long maxReturnedSize, Clock clock) {
        this.reportingMta = reportingMta;
        this.maxReturnedSize = maxReturnedSize;
        this.clock = clock;
    }

    /**
     * The failure DSN for a {@code tern.failed} record, or empty when the sender is {@code <>} or
     * no recipient wants a failure notice.
     *
     * @param lastAttempt when delivery gave up (the record's timestamp)
     * @param id          queue id for the notice
     * @param categoryOf  each recipient's bounce category label ({@code X-Tern-Category}), or null for none
     */
    public Optional<QueuedMessage> failure(QueuedMessage failed, Instant lastAttempt, String id,
            Function<QueuedRecipient, String> categoryOf) {
        return build(failed, QueuedRecipient::wantsFailureNotice,
                r -> report(r, DsnAction.FAILED, lastAttempt, null).withCategory(categoryOf.apply(r)), id);
    }

    /**
     * The delay DSN for a message still queued, or empty when the sender is {@code <>} or no
     * recipient wants a delay notice.
     *
     * @param lastAttempt    when the last attempt was deferred (the retry record's timestamp)
     * @param willRetryUntil when the message expires (first received + max queue lifetime)
     * @param id             queue id for the notice
     */
    public Optional<QueuedMessage> delay(QueuedMessage waiting, Instant lastAttempt, Instant willRetryUntil,
            String id) {
        return build(waiting, QueuedRecipient::wantsDelayNotice,
                r -> report(r, DsnAction.DELAYED, lastAttempt, willRetryUntil), id);
    }

    private Optional<QueuedMessage> build(QueuedMessage m, Predicate<QueuedRecipient> wants,
            Function<QueuedRecipient, RecipientReport> toReport, String id) {
        if (m.hasNullSender()) {
            return Optional.empty();
        }
        List<RecipientReport> reports = new ArrayList<>();
        for (QueuedRecipient r : m.recipients()) {
            if (wants.test(r)) {
                reports.add(toReport.apply(r));
            }
        }
        if (reports.isEmpty()) {
            return Optional.empty();
        }
        var b = DeliveryStatusNotification.builder()
                .reportingMta(reportingMta)
                .originalSender(m.sender())
                .envelopeId(m.envelope().envid())
                .arrivalDate(m.schedule().firstReceived())
                .ret(m.envelope().ret() == Ret.HDRS ? Ret.HDRS : Ret.FULL)
                .originalMessage(m.body())
                .maxReturnedSize(maxReturnedSize)
                .messageId(id + "@" + reportingMta)
                .clock(clock);
        reports.forEach(b::recipient);
        DeliveryStatusNotification dsn = b.build();
        var envelope = new QueuedEnvelope("", List.of(QueuedRecipient.of(m.sender())), null, null,
                dsn.isEightBit() ? BodyType.EIGHT_BIT_MIME : null, dsn.needsSmtpUtf8());
        return Optional.of(new QueuedMessage(id, envelope, Provenance.local(reportingMta),
                Schedule.firstAttempt(clock.instant()), dsn.toBytes()));
    }

    static RecipientReport report(QueuedRecipient r, DsnAction action, Instant lastAttempt, Instant willRetryUntil) {
        Reply reply = r.lastReply();
        RecipientReport report;
        if (reply != null && reply.codeClass() >= 4) {
            report = RecipientReport.of(r.address(), action, reply);
        } else {
            // No usable reply: RFC 3463 §3.1 "other undefined status" of the right class.
            EnhancedStatus status = action == DsnAction.DELAYED ? UNDEFINED_PERMANENT.withClass(4) : UNDEFINED_PERMANENT;
            report = new RecipientReport(r.address(), null, action, status, null, null, null, null, null);
        }
        if (r.orcpt() != null) {
            report = report.withOriginalRecipient(r.orcpt());
        }
        if (r.lastMx() != null && !r.lastMx().isBlank()) {
            report = report.withRemoteMta(r.lastMx());
        }
        if (lastAttempt != null) {
            report = report.withLastAttempt(lastAttempt);
        }
        if (willRetryUntil != null) {
            report = report.withWillRetryUntil(willRetryUntil);
        }
        return report;
    }
}
