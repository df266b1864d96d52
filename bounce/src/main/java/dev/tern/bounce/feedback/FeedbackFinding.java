package dev.tern.bounce.feedback;

import java.util.Objects;

/**
 * What one report says about one recipient of one of our messages, ready to act on.
 *
 * @param kind       what kind of report it came from; also the metric's {@code type} label
 * @param queueId    the queue id of the message the report is about, from the VERP address;
 *                   null when the report reached the bounce domain without one
 * @param recipient  the recipient the report is about
 * @param replyCode  the SMTP code of a DSN's failure (its diagnostic's code, else x50 of its class); 0 for complaints
 * @param detail     human-readable detail: the DSN's status and diagnostic, or the complaint's type and reporter
 * @param suppress   whether the recipient goes on the suppression list
 */
public record FeedbackFinding(Kind kind, String queueId, String recipient, int replyCode, String detail,
        boolean suppress) {

    /** The kinds of report the bounce service acts on. */
    public enum Kind {
        /** An RFC 3464 DSN with Action: failed. */
        DSN_FAILED("dsn-failed"),
        /** An RFC 3464 DSN with Action: delayed: an event only. */
        DSN_DELAYED("dsn-delayed"),
        /** An RFC 5965 feedback report of a complaint type. */
        COMPLAINT("complaint");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public FeedbackFinding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(detail, "detail");
    }
}
