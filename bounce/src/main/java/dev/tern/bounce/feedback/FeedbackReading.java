package dev.tern.bounce.feedback;

import dev.tern.bounce.feedback.FeedbackFinding.Kind;
import dev.tern.common.classify.BounceAction;
import dev.tern.common.classify.BounceClassifier;
import dev.tern.common.feedback.VerpAddress;
import dev.tern.common.policy.Feedback;
import dev.tern.smtp.reply.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns one message that arrived at the bounce domain into {@link FeedbackFinding}s
 * (docs/ARCHITECTURE.md, "Feedback loops and VERP"). Pure.
 *
 * <ul>
 *   <li>{@code report-type=delivery-status} (RFC 3464): one finding per recipient group with
 *       Action {@code failed} ({@link Kind#DSN_FAILED}; suppressed when the status is a hard bounce
 *       by the same bounce classification as synchronous replies, {@link BounceClassifier}) or {@code delayed}
 *       ({@link Kind#DSN_DELAYED}, never suppressed); {@code delivered}, {@code relayed} and
 *       {@code expanded} say nothing to act on.</li>
 *   <li>{@code report-type=feedback-report} (RFC 5965): for a complaint type, one
 *       {@link Kind#COMPLAINT} finding per complaining recipient, always suppressed; other types
 *       ({@code not-spam}, {@code auth-failure}) give none.</li>
 * </ul>
 * Which message and recipient: the VERP address the report was sent to, or for complaints sent to
 * a fixed feedback-loop address, the one in the reported message's Return-Path or
 * Original-Mail-From. Its recipient wins over the report's own fields when it has one (for a DSN,
 * only if the DSN is about a single recipient); otherwise the report's Original-Recipient /
 * Final-Recipient, or Original-Rcpt-To / the reported To, name it.
 *
 * <p>Failure: anything that is not such a report, or a complaint that names no recipient, is an
 * {@link UnparsableReportException}.
 */
public final class FeedbackReading {

    private FeedbackReading() {
    }

    /**
     * @param envelopeRecipients the addresses the report was sent to (in the bounce domain)
     * @param message            the report as received
     * @param feedback           the policy's feedback section, to read VERP addresses
     */
    public static List<FeedbackFinding> read(List<String> envelopeRecipients, byte[] message, Feedback feedback) {
        return read(envelopeRecipients, message, feedback, BounceClassifier.defaults());
    }

    /**
     * As {@link #read(List, byte[], Feedback)}, with the policy's bounce classification deciding
     * which failed recipients are suppressed (docs/ARCHITECTURE.md, "Bounce classification"): the
     * same rules as for a failure Tern saw itself.
     */
    public static List<FeedbackFinding> read(List<String> envelopeRecipients, byte[] message, Feedback feedback,
            BounceClassifier classifier) {
        MimePart report = MimePart.parse(message);
        String type = report.parameter("report-type").orElse("").toLowerCase(Locale.ROOT);
        Optional<VerpAddress> verp = firstVerp(envelopeRecipients, feedback);
        return switch (type) {
            case "delivery-status" -> dsn(DeliveryReport.parse(report), verp, classifier);
            case "feedback-report" -> {
                ComplaintReport complaint = ComplaintReport.parse(report);
                yield complaint(complaint, verp.or(() -> firstVerp(complaint.returnPaths(), feedback)));
            }
            default -> throw new UnparsableReportException(report.mediaType()
                    + (type.isEmpty() ? "" : "; report-type=" + type) + " is neither a DSN nor a feedback report");
        };
    }

    private static List<FeedbackFinding> dsn(DeliveryReport report, Optional<VerpAddress> verp,
            BounceClassifier classifier) {
        String queueId = verp.map(VerpAddress::queueId).orElse(null);
        Optional<String> verpRecipient = verp.flatMap(VerpAddress::recipient);
        var out = new ArrayList<FeedbackFinding>();
        for (DeliveryReport.Recipient r : report.recipients()) {
            String recipient = verpRecipient.filter(v -> report.single().isPresent()).orElse(r.recipient());
            Reply reply = r.reply();
            String detail = reply.text() + (report.reportingMta().isEmpty() ? "" : " (reported by "
                    + report.reportingMta() + ")");
            switch (r.action()) {
                case FAILED -> out.add(new FeedbackFinding(Kind.DSN_FAILED, queueId, recipient, reply.code(), detail,
                        classifier.classify(reply).action() == BounceAction.SUPPRESS));
                case DELAYED -> out.add(new FeedbackFinding(Kind.DSN_DELAYED, queueId, recipient, reply.code(), detail,
                        false));
                default -> {
                    // delivered, relayed, expanded: success reports, nothing to act on.
                }
            }
        }
        return out;
    }

    private static List<FeedbackFinding> complaint(ComplaintReport report, Optional<VerpAddress> verp) {
        if (!report.isComplaint()) {
            return List.of();
        }
        List<String> recipients = verp.flatMap(VerpAddress::recipient).map(List::of).orElse(report.namedRecipients());
        if (recipients.isEmpty()) {
            throw new UnparsableReportException("complaint (" + report.feedbackType() + ") names no recipient");
        }
        String detail = "complaint: Feedback-Type " + report.feedbackType()
                + (report.userAgent().isEmpty() ? "" : " from " + report.userAgent());
        String queueId = verp.map(VerpAddress::queueId).orElse(null);
        return recipients.stream().map(r -> new FeedbackFinding(Kind.COMPLAINT, queueId, r, 0, detail, true)).toList();
    }

    private static Optional<VerpAddress> firstVerp(List<String> addresses, Feedback feedback) {
        return addresses.stream().map(feedback::decode).flatMap(Optional::stream).findFirst();
    }
}
