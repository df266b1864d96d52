package dev.tern.smtp.dsn;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * An RFC 3464 delivery status notification, ready to render as a complete message.
 *
 * <p>Renders {@code multipart/report; report-type=delivery-status} (RFC 6522) with three parts: a
 * human-readable explanation, the {@code message/delivery-status} fields, and the original message
 * ({@code message/rfc822}) or only its headers ({@code text/rfc822-headers}). The original is returned
 * in full only for a failure report with RET=FULL (the default, RFC 3461 §4.3) and when it fits in
 * {@link Builder#maxReturnedSize(long)}; delay and success reports carry headers only, as Postfix does.
 * Top-level headers follow RFC 3834 (Auto-Submitted: auto-replied) and RFC 3464 §2 practice: From
 * {@code Mail Delivery System <MAILER-DAEMON@reporting-mta>}, To the original sender; the DSN itself
 * must be sent with the null reverse-path, which is the caller's job.
 *
 * <p>Internationalisation (RFC 6533): non-ASCII recipient addresses use the {@code utf-8} address type
 * in a {@code message/global-delivery-status} part; an original with non-ASCII headers is returned as
 * {@code message/global} (or {@code message/global-headers}). Otherwise everything is 7-bit, except an
 * 8-bit original body, which is declared {@code 8bit}. {@link #isEightBit()} and
 * {@link #needsSmtpUtf8()} tell the caller which MAIL parameters the DSN needs.
 *
 * <p>The MIME boundary is checked against all content and changed until it does not occur. Immutable
 * and thread-safe once built; {@link #toBytes()} renders afresh on each call.
 */
public final class DeliveryStatusNotification {

    /** Default cap for returning the full original: above it, only the headers go back. */
    public static final long DEFAULT_MAX_RETURNED_SIZE = 1024 * 1024;

    final String reportingMta;
    final String originalSender;
    final String envelopeId;
    final Instant arrivalDate;
    final Ret ret;
    final byte[] originalMessage;
    final long maxReturnedSize;
    final List<RecipientReport> recipients;
    final Instant date;
    final ZoneId zone;
    final String boundaryBase;
    final String messageId;

    private DeliveryStatusNotification(Builder b) {
        this.reportingMta = Objects.requireNonNull(b.reportingMta, "reportingMta");
        this.originalSender = Objects.requireNonNull(b.originalSender, "originalSender");
        if (originalSender.isEmpty()) {
            throw new IllegalArgumentException("never send a DSN to the null reverse-path (RFC 3461 §6.1)");
        }
        this.envelopeId = b.envelopeId;
        this.arrivalDate = b.arrivalDate;
        this.ret = b.ret;
        this.originalMessage = b.originalMessage;
        this.maxReturnedSize = b.maxReturnedSize;
        this.recipients = List.copyOf(b.recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a DSN reports on at least one recipient");
        }
        this.date = b.clock.instant();
        this.zone = b.clock.getZone();
        this.boundaryBase = b.boundary.get();
        this.messageId = b.messageId != null ? b.messageId : UUID.randomUUID() + "@" + reportingMta;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The complete message: header section, blank line, MIME body; CRLF line endings. */
    public byte[] toBytes() {
        return new DsnRenderer(this).render();
    }

    /** The DSN contains 8-bit octets and must be sent with BODY=8BITMIME (RFC 6152). */
    public boolean isEightBit() {
        return new DsnRenderer(this).eightBit();
    }

    /** The DSN's own headers or addresses need SMTPUTF8 (RFC 6531) to be sent. */
    public boolean needsSmtpUtf8() {
        return new DsnRenderer(this).needsSmtpUtf8();
    }

    public List<RecipientReport> recipients() {
        return recipients;
    }

    /** Gathers the parts of a DSN; {@code reportingMta}, {@code originalSender} and a recipient are required. */
    public static final class Builder {
        private String reportingMta;
        private String originalSender;
        private String envelopeId;
        private Instant arrivalDate;
        private Ret ret = Ret.FULL;
        private byte[] originalMessage;
        private long maxReturnedSize = DEFAULT_MAX_RETURNED_SIZE;
        private final List<RecipientReport> recipients = new ArrayList<>();
        private Clock clock = Clock.system(ZoneOffset.UTC);
        private Supplier<String> boundary = () -> "=_tern_" + UUID.randomUUID().toString().replace("-", "");
        private String messageId;

        private Builder() {
        }

        /** Our host name: Reporting-MTA and the MAILER-DAEMON address. */
        public Builder reportingMta(String host) {
            this.reportingMta = host;
            return this;
        }

        /** The envelope sender of the original message; the DSN goes to it. */
        public Builder originalSender(String address) {
            this.originalSender = address;
            return this;
        }

        /** ENVID (decoded), reported as Original-Envelope-Id (RFC 3464 §2.2.1). */
        public Builder envelopeId(String envid) {
            this.envelopeId = envid;
            return this;
        }

        public Builder arrivalDate(Instant when) {
            this.arrivalDate = when;
            return this;
        }

        /** RET from the original MAIL; {@code null} means not given, i.e. FULL. */
        public Builder ret(Ret value) {
            this.ret = value == null ? Ret.FULL : value;
            return this;
        }

        /** The original message as queued; absent means no third part. */
        public Builder originalMessage(byte[] message) {
            this.originalMessage = message == null ? null : message.clone();
            return this;
        }

        /** Largest original returned in full; larger ones are returned as headers only. */
        public Builder maxReturnedSize(long octets) {
            if (octets < 0) {
                throw new IllegalArgumentException("negative size");
            }
            this.maxReturnedSize = octets;
            return this;
        }

        public Builder recipient(RecipientReport report) {
            recipients.add(Objects.requireNonNull(report, "report"));
            return this;
        }

        /** Source of the Date header and its time zone; fixed in tests. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Source of the MIME boundary; a collision with content still gets a suffix. */
        public Builder boundary(Supplier<String> value) {
            this.boundary = Objects.requireNonNull(value, "boundary");
            return this;
        }

        /** Message-ID without angle brackets; default {@code <uuid>@<reporting-mta>}. */
        public Builder messageId(String id) {
            this.messageId = id;
            return this;
        }

        public DeliveryStatusNotification build() {
            return new DeliveryStatusNotification(this);
        }
    }

    static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }
}
