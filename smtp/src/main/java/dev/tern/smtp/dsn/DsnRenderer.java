package dev.tern.smtp.dsn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Assembles the MIME structure of a {@link DeliveryStatusNotification} (RFC 6522 multipart/report,
 * RFC 3464 §2, RFC 6533 for the {@code global} variants) and decides which parts are 8-bit.
 * One instance per rendering; not shared.
 */
final class DsnRenderer {

    private final DeliveryStatusNotification dsn;
    private final boolean globalStatus;
    private final boolean anyFailed;
    private final byte[] returned;
    private final boolean returnedFull;
    private final boolean returnedHeadersUtf8;
    private final boolean returnedEightBit;

    DsnRenderer(DeliveryStatusNotification dsn) {
        this.dsn = dsn;
        this.globalStatus = dsn.recipients.stream().anyMatch(r -> !DeliveryStatusNotification.isAscii(r.finalRecipient())
                || r.originalRecipient() != null && !DeliveryStatusNotification.isAscii(r.originalRecipient().address()));
        this.anyFailed = dsn.recipients.stream().anyMatch(r -> r.action() == DsnAction.FAILED);
        if (dsn.originalMessage == null) {
            returned = null;
            returnedFull = false;
        } else {
            byte[] normalised = OriginalContent.normalise(dsn.originalMessage);
            // RFC 3461 §4.3: RET governs failure DSNs; delay and success notices carry headers only.
            returnedFull = anyFailed && dsn.ret == Ret.FULL && normalised.length <= dsn.maxReturnedSize;
            returned = returnedFull ? normalised : OriginalContent.headers(normalised);
        }
        returnedHeadersUtf8 = returned != null && OriginalContent.hasEightBit(OriginalContent.headers(returned));
        returnedEightBit = returned != null && OriginalContent.hasEightBit(returned);
    }

    boolean needsSmtpUtf8() {
        return !DeliveryStatusNotification.isAscii(dsn.originalSender) || returnedHeadersUtf8;
    }

    boolean eightBit() {
        return globalStatus || returnedEightBit || needsSmtpUtf8();
    }

    byte[] render() {
        byte[] text = HumanReadablePart.render(dsn, returned != null, returnedFull, globalStatus).getBytes(StandardCharsets.UTF_8);
        byte[] status = DeliveryStatusFields.render(dsn, globalStatus).getBytes(StandardCharsets.UTF_8);
        String boundary = boundary(text, status);

        var out = new ByteArrayOutputStream(text.length + status.length + (returned == null ? 0 : returned.length) + 2048);
        write(out, HeaderFolding.field("Date", MailDates.format(dsn.date, dsn.zone)));
        write(out, "From: Mail Delivery System <MAILER-DAEMON@" + dsn.reportingMta + ">\r\n");
        write(out, HeaderFolding.field("To", dsn.originalSender));
        write(out, "Subject: " + subject() + "\r\n");
        write(out, HeaderFolding.field("Message-ID", "<" + dsn.messageId + ">"));
        write(out, "Auto-Submitted: auto-replied\r\n");
        write(out, "MIME-Version: 1.0\r\n");
        write(out, "Content-Type: multipart/report; report-type=" + (globalStatus ? "global-delivery-status" : "delivery-status")
                + ";\r\n\tboundary=\"" + boundary + "\"\r\n");
        write(out, "Content-Transfer-Encoding: " + (eightBit() ? "8bit" : "7bit") + "\r\n");
        write(out, "\r\nThis is a MIME-encapsulated message.\r\n\r\n");

        write(out, "--" + boundary + "\r\n");
        write(out, "Content-Description: Notification\r\n");
        write(out, "Content-Type: text/plain; charset=" + (globalStatus ? "utf-8" : "us-ascii") + "\r\n");
        if (globalStatus) {
            write(out, "Content-Transfer-Encoding: 8bit\r\n");
        }
        write(out, "\r\n");
        out.writeBytes(text);

        write(out, "--" + boundary + "\r\n");
        write(out, "Content-Description: Delivery report\r\n");
        write(out, "Content-Type: message/" + (globalStatus ? "global-delivery-status" : "delivery-status") + "\r\n");
        if (globalStatus) {
            write(out, "Content-Transfer-Encoding: 8bit\r\n");
        }
        write(out, "\r\n");
        out.writeBytes(status);

        if (returned != null) {
            write(out, "--" + boundary + "\r\n");
            write(out, "Content-Description: " + returnedDescription() + "\r\n");
            write(out, "Content-Type: " + returnedType() + "\r\n");
            if (returnedEightBit) {
                write(out, "Content-Transfer-Encoding: 8bit\r\n");
            }
            write(out, "\r\n");
            out.writeBytes(returned);
        }
        write(out, "--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private String subject() {
        if (anyFailed) {
            return "Undelivered Mail Returned to Sender";
        }
        if (dsn.recipients.stream().anyMatch(r -> r.action() == DsnAction.DELAYED)) {
            return "Delayed Mail (still being retried)";
        }
        return "Successful Mail Delivery Report";
    }

    private String returnedDescription() {
        if (returnedFull) {
            return "Undelivered Message";
        }
        return anyFailed ? "Undelivered Message Headers" : "Message Headers";
    }

    private String returnedType() {
        if (returnedFull) {
            return returnedHeadersUtf8 ? "message/global" : "message/rfc822";
        }
        return returnedHeadersUtf8 ? "message/global-headers" : "text/rfc822-headers";
    }

    // RFC 2046 §5.1.1: the delimiter must not occur in any encapsulated part. Retries put a prefix
    // in front, never a suffix, so that the new delimiter does not begin with one used inside.
    private String boundary(byte[] text, byte[] status) {
        String base = dsn.boundaryBase;
        for (int attempt = 0; ; attempt++) {
            String candidate = attempt == 0 ? base : attempt + "." + base;
            byte[] needle = candidate.getBytes(StandardCharsets.US_ASCII);
            if (!OriginalContent.contains(text, needle) && !OriginalContent.contains(status, needle)
                    && (returned == null || !OriginalContent.contains(returned, needle))) {
                return candidate;
            }
        }
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
