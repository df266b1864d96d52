package dev.tern.common.policy;

/**
 * What ingress does with a message a check found wanting (docs/ARCHITECTURE.md, "Edge checks").
 * Each check allows the subset that makes sense for it: a DNS error can be deferred, a DMARC
 * failure quarantined.
 */
public enum CheckAction {
    /** Take the message; the result is only recorded (Authentication-Results, metrics). */
    ACCEPT,
    /** Take it with an {@code X-Tern-Quarantine} header, redirected to {@code checks.quarantine-to} when set. */
    QUARANTINE,
    /** Refuse with a 4xx, so the client tries again later. */
    DEFER,
    /** Refuse with a 5xx. */
    REJECT
}
