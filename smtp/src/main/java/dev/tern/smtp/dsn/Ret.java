package dev.tern.smtp.dsn;

/** The RET parameter of RFC 3461 §4.3: return the full message or only its headers in a failure DSN. */
public enum Ret {
    FULL, HDRS
}
