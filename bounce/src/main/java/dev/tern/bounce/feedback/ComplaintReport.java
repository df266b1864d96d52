package dev.tern.bounce.feedback;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An RFC 5965 (ARF) feedback report sent to the bounce address: a
 * {@code multipart/report; report-type=feedback-report} whose {@code message/feedback-report} part
 * names the Feedback-Type and, when the provider discloses them, the Original-Rcpt-To addresses,
 * and whose third part holds the reported message or its header section. Pure.
 *
 * @param feedbackType      the Feedback-Type, lower-cased ({@code abuse}, {@code fraud}, ...)
 * @param userAgent         the User-Agent field, or empty
 * @param originalMailFrom  the Original-Mail-From address, or null
 * @param originalRcptTo    the Original-Rcpt-To addresses (RFC 5965 §3.2), possibly none
 * @param originalHeaders   the reported message's header section, when the report carries it
 */
public record ComplaintReport(String feedbackType, String userAgent, String originalMailFrom,
        List<String> originalRcptTo, Optional<MimePart> originalHeaders) {

    /**
     * The types that mean "the recipient did not want this" (RFC 5965 §7.3): they suppress the
     * recipient. {@code not-spam} (RFC 6650 §6), {@code auth-failure} (RFC 6591, DMARC failure
     * reports) and anything unknown say nothing about the recipient's wish.
     */
    private static final Set<String> COMPLAINTS = Set.of("abuse", "fraud", "virus", "other");

    public ComplaintReport {
        originalRcptTo = List.copyOf(originalRcptTo);
    }

    public boolean isComplaint() {
        return COMPLAINTS.contains(feedbackType);
    }

    /** Reads a whole report message; {@link UnparsableReportException} when it is not an ARF report. */
    public static ComplaintReport parse(MimePart message) {
        if (!message.mediaType().equals("multipart/report")) {
            throw new UnparsableReportException("not multipart/report but " + message.mediaType());
        }
        List<MimePart> parts = message.parts();
        MimePart report = parts.stream().filter(p -> p.mediaType().equals("message/feedback-report")).findFirst()
                .orElseThrow(() -> new UnparsableReportException("no message/feedback-report part"));
        List<Map<String, List<String>>> groups = ReportFields.groups(report.text());
        if (groups.isEmpty()) {
            throw new UnparsableReportException("empty message/feedback-report part");
        }
        Map<String, List<String>> fields = groups.get(0);
        String type = ReportFields.first(fields, "Feedback-Type").map(ReportFields::withoutComments)
                .map(t -> t.toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty())
                .orElseThrow(() -> new UnparsableReportException("feedback report without Feedback-Type"));
        List<String> rcptTo = fields.getOrDefault("original-rcpt-to", List.of()).stream().map(ReportFields::address)
                .filter(a -> a.contains("@")).toList();
        Optional<MimePart> original = parts.stream()
                .filter(p -> p.mediaType().equals("message/rfc822") || p.mediaType().equals("text/rfc822-headers")
                        || p.mediaType().equals("message/global") || p.mediaType().equals("message/global-headers"))
                .findFirst().map(MimePart::embedded);
        return new ComplaintReport(type, ReportFields.first(fields, "User-Agent").orElse(""),
                ReportFields.first(fields, "Original-Mail-From").map(ReportFields::address).filter(a -> a.contains("@"))
                        .orElse(null),
                rcptTo, original);
    }

    /**
     * The envelope sender the reported message arrived with, as the receiver recorded it in the
     * reported header section ({@code Return-Path}, RFC 5321 §4.4) or as Original-Mail-From: where a
     * VERP address shows up when the report went to a fixed feedback-loop address.
     */
    public List<String> returnPaths() {
        var out = new java.util.ArrayList<String>();
        originalHeaders.ifPresent(h -> h.headers("Return-Path").stream().map(ReportFields::address)
                .filter(a -> a.contains("@")).forEach(out::add));
        if (originalMailFrom != null) {
            out.add(originalMailFrom);
        }
        return out;
    }

    /**
     * The complaining recipients the report itself names: Original-Rcpt-To, else the reported
     * message's {@code To} when it is a single address (providers often redact both).
     */
    public List<String> namedRecipients() {
        if (!originalRcptTo.isEmpty()) {
            return originalRcptTo;
        }
        return originalHeaders.flatMap(h -> h.header("To")).filter(to -> !to.contains(","))
                .map(ReportFields::address).filter(a -> a.contains("@") && !a.contains(" ")).map(List::of)
                .orElse(List.of());
    }
}
