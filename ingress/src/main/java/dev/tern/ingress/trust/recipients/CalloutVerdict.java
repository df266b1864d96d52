package dev.tern.ingress.trust.recipients;

/**
 * What a recipient callout found out. Only {@link #VALID} and {@link #UNKNOWN} are facts about the
 * recipient and may be cached; the others are about the moment and never are.
 */
public enum CalloutVerdict {
    /** The server accepted RCPT (250, 251, 252). */
    VALID,
    /** The server refused RCPT permanently with a "no such user" code (550, 551, 553). */
    UNKNOWN,
    /**
     * The server answered, but not with a verdict: a 4xx, or a 5xx that is not about the
     * recipient (a refused greeting or MAIL FROM:&lt;&gt;, a syntax or sequence error, 552).
     */
    DEFERRED,
    /** No conversation: connection refused or dropped, timeout, garbled replies. */
    UNREACHABLE,
    /** Not asked: the domain is delivered by MX (no server of ours to ask), or the address cannot be put to it. */
    NOT_CHECKED;

    /** True for the verdicts that describe the recipient rather than the moment. */
    public boolean cacheable() {
        return this == VALID || this == UNKNOWN;
    }
}
