package dev.tern.smtp.parse;

/** The {@code RET=} MAIL parameter of RFC 3461 §4.3: return the full message or headers only. */
public enum DsnReturn {
    FULL,
    HDRS
}
