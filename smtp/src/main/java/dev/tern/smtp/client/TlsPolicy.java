package dev.tern.smtp.client;

/** When the client uses STARTTLS (RFC 3207). */
public enum TlsPolicy {
    /** Never send STARTTLS. */
    NONE,
    /** STARTTLS when offered; plaintext when not offered or refused (Postfix "may"). */
    OPPORTUNISTIC,
    /** STARTTLS or no delivery: not offered or refused gives a transient 4.7.4 (Postfix "encrypt"). */
    REQUIRED
}
