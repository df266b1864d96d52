package dev.tern.smtp.parse;

/** One value of the {@code NOTIFY=} RCPT parameter (RFC 3461 §4.1). */
public enum NotifyType {
    NEVER,
    SUCCESS,
    FAILURE,
    DELAY
}
