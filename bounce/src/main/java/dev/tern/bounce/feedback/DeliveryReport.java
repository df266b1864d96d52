package dev.tern.bounce.feedback;

import dev.tern.smtp.reply.EnhancedStatus;
import dev.tern.smtp.reply.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An RFC 3464 delivery status notification another MTA sent to the bounce address: the
 * {@code message/delivery-status} part of a {@code multipart/report; report-type=delivery-status}
 * (or {@code message/global-delivery-status}, RFC 6533), its per-message Reporting-MTA and one
 * {@link Recipient} per per-recipient group. Pure.
 *
 * @param reportingMta the Reporting-MTA field's name (without its {@code dns;} type), or empty
 * @param recipients   the per-recipient groups in order, at least one
 */
public record DeliveryReport(String reportingMta, List<Recipient> recipients) {

    /** RFC 3464 §2.3.3. */
    public enum Action { FAILED, DELAYED, DELIVERED, RELAYED, EXPANDED }

    /**
     * One per-recipient group (RFC 3464 §2.3).
     *
     * @param finalRecipient    Final-Recipient's address
     * @param originalRecipient Original-Recipient's address, or null
     * @param action            what happened
     * @param status            the Status code, comments dropped
     * @param diagnostic        Diagnostic-Code's text without its type, or null
     */
    public record Recipient(String finalRecipient, String originalRecipient, Action action, EnhancedStatus status,
            String diagnostic) {

        private static final Pattern SMTP_CODE = Pattern.compile("([245][0-9][0-9])[ -].*", Pattern.DOTALL);

        /**
         * The failure as an SMTP reply, so the rules for synchronous replies apply unchanged
         * ({@link dev.tern.common.classify.BounceClassifier}): the diagnostic's own code when it has one
         * of the status's class, else x50 of that class.
         */
        public Reply reply() {
            String text = diagnostic == null || diagnostic.isBlank() ? "reported by DSN" : diagnostic;
            int code = status.statusClass() * 100 + 50;
            var m = SMTP_CODE.matcher(text);
            if (m.matches() && m.group(1).charAt(0) - '0' == status.statusClass()) {
                code = Integer.parseInt(m.group(1));
                text = text.substring(4).strip();
                if (EnhancedStatus.startsWithStatus(text)) {
                    int sp = text.indexOf(' ');
                    text = sp < 0 ? "" : text.substring(sp + 1);
                }
            }
            return Reply.of(code, status.toString(), text.isEmpty() ? "reported by DSN" : text.replaceAll("[\r\n]", " "));
        }

        /** The address the report is about: Original-Recipient when given (what was sent), else Final-Recipient. */
        public String recipient() {
            return originalRecipient != null ? originalRecipient : finalRecipient;
        }
    }

    public DeliveryReport {
        recipients = List.copyOf(recipients);
    }

    /** Reads a whole report message; {@link UnparsableReportException} when it is not an RFC 3464 DSN. */
    public static DeliveryReport parse(MimePart message) {
        if (!message.mediaType().equals("multipart/report")) {
            throw new UnparsableReportException("not multipart/report but " + message.mediaType());
        }
        MimePart status = message.parts().stream()
                .filter(p -> p.mediaType().equals("message/delivery-status")
                        || p.mediaType().equals("message/global-delivery-status"))
                .findFirst()
                .orElseThrow(() -> new UnparsableReportException("no message/delivery-status part"));
        List<Map<String, List<String>>> groups = ReportFields.groups(status.text());
        if (groups.size() < 2) {
            throw new UnparsableReportException("delivery-status part without a per-recipient group");
        }
        String mta = ReportFields.first(groups.get(0), "Reporting-MTA").map(ReportFields::address).orElse("");
        var recipients = new ArrayList<Recipient>();
        for (int i = 1; i < groups.size(); i++) {
            recipients.add(recipient(groups.get(i), i));
        }
        return new DeliveryReport(mta, recipients);
    }

    private static Recipient recipient(Map<String, List<String>> g, int index) {
        String finalRecipient = ReportFields.first(g, "Final-Recipient").map(ReportFields::address)
                .filter(a -> a.contains("@"))
                .orElseThrow(() -> new UnparsableReportException("recipient group " + index + " lacks Final-Recipient"));
        String original = ReportFields.first(g, "Original-Recipient").map(ReportFields::address)
                .filter(a -> a.contains("@")).orElse(null);
        String actionText = ReportFields.first(g, "Action").map(ReportFields::withoutComments)
                .orElseThrow(() -> new UnparsableReportException("recipient group " + index + " lacks Action"));
        Action action;
        try {
            action = Action.valueOf(actionText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UnparsableReportException("unknown Action '" + actionText + "'");
        }
        String statusText = ReportFields.first(g, "Status").map(ReportFields::withoutComments)
                .orElseThrow(() -> new UnparsableReportException("recipient group " + index + " lacks Status"));
        EnhancedStatus status;
        try {
            status = EnhancedStatus.parse(statusText.split("\\s+")[0]);
        } catch (IllegalArgumentException e) {
            throw new UnparsableReportException("bad Status '" + statusText + "'");
        }
        String diagnostic = ReportFields.first(g, "Diagnostic-Code").map(d -> {
            int semi = d.indexOf(';');
            return (semi >= 0 ? d.substring(semi + 1) : d).strip().replaceAll("\\s+", " ");
        }).orElse(null);
        return new Recipient(finalRecipient, original, action, status, diagnostic);
    }

    /** The one recipient group, when the report has exactly one (a VERP address then names its recipient). */
    public Optional<Recipient> single() {
        return recipients.size() == 1 ? Optional.of(recipients.get(0)) : Optional.empty();
    }
}
