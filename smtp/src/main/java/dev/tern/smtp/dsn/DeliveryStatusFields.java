package dev.tern.smtp.dsn;

import dev.tern.smtp.reply.Reply;

/**
 * The body of the {@code message/delivery-status} part (RFC 3464 §2.1–§2.3): per-message fields,
 * then one blank-line-separated group of per-recipient fields each, in the RFC's field order.
 *
 * <p>Addresses use the {@code rfc822} type, or {@code utf-8} (RFC 6533 §3) when not ASCII. In the
 * 7-bit variant any non-ASCII text from a remote reply becomes {@code ?}; control characters always
 * do. Long fields are folded by {@link HeaderFolding}. Stateless.
 */
final class DeliveryStatusFields {

    private DeliveryStatusFields() {
    }

    static String render(DeliveryStatusNotification dsn, boolean global) {
        var out = new StringBuilder(512);
        if (dsn.envelopeId != null) {
            String envid = printableAscii(dsn.envelopeId) ? dsn.envelopeId : XText.encode(dsn.envelopeId);
            out.append(HeaderFolding.field("Original-Envelope-Id", envid));
        }
        out.append(HeaderFolding.field("Reporting-MTA", "dns; " + dsn.reportingMta));
        if (dsn.arrivalDate != null) {
            out.append(HeaderFolding.field("Arrival-Date", MailDates.format(dsn.arrivalDate, dsn.zone)));
        }
        for (RecipientReport r : dsn.recipients) {
            out.append("\r\n");
            if (r.originalRecipient() != null) {
                out.append(HeaderFolding.field("Original-Recipient",
                        r.originalRecipient().addressType() + "; " + clean(r.originalRecipient().address(), global)));
            }
            out.append(HeaderFolding.field("Final-Recipient", address(r.finalRecipient(), global)));
            out.append(HeaderFolding.field("Action", r.action().keyword()));
            out.append(HeaderFolding.field("Status", r.status().toString()));
            if (r.remoteMta() != null) {
                out.append(HeaderFolding.field("Remote-MTA", "dns; " + clean(r.remoteMta(), false)));
            }
            if (r.diagnostic() != null) {
                out.append(HeaderFolding.field("Diagnostic-Code", "smtp; " + clean(diagnostic(r.diagnostic()), global)));
            }
            if (r.category() != null) {
                out.append(HeaderFolding.field("X-Tern-Category", r.category()));
            }
            if (r.lastAttempt() != null) {
                out.append(HeaderFolding.field("Last-Attempt-Date", MailDates.format(r.lastAttempt(), dsn.zone)));
            }
            if (r.willRetryUntil() != null) {
                out.append(HeaderFolding.field("Will-Retry-Until", MailDates.format(r.willRetryUntil(), dsn.zone)));
            }
        }
        return out.toString();
    }

    /** {@code 550 5.1.1 text}: the reply as a receiver would have logged it, lines joined. */
    static String diagnostic(Reply reply) {
        return reply.code() + " " + reply.text();
    }

    private static String address(String address, boolean global) {
        if (DeliveryStatusNotification.isAscii(address)) {
            return "rfc822; " + clean(address, false);
        }
        return "utf-8; " + clean(address, global);
    }

    /** Control characters and, unless {@code utf8}, non-ASCII become {@code ?}. */
    static String clean(String text, boolean utf8) {
        var out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            boolean control = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
            out.appendCodePoint(control || (!utf8 && cp >= 0x80) ? '?' : cp);
        });
        return out.toString();
    }

    private static boolean printableAscii(String s) {
        return s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
