package dev.tern.smtp.server;

/**
 * ESMTP service extensions the server can advertise in its EHLO reply (RFC 5321 §4.1.1.1).
 *
 * <p>Advertising is conditional for two of them: {@link #STARTTLS} only while TLS is not yet
 * active (RFC 3207 §4.2), {@link #AUTH} only under TLS unless plaintext AUTH is configured
 * (RFC 4954 §4, RFC 8314 §3). A parameter that belongs to an extension not advertised in this
 * session is refused with {@code 555 5.5.4}.
 */
public enum Extension {
    /** RFC 2920. */
    PIPELINING,
    /** RFC 1870; advertised with the configured limit. */
    SIZE,
    /** RFC 3207. */
    STARTTLS,
    /** RFC 4954; advertised with the configured mechanisms. */
    AUTH,
    /** RFC 2034. */
    ENHANCEDSTATUSCODES,
    /** RFC 6152. */
    EIGHTBITMIME,
    /** RFC 3461. */
    DSN,
    /** RFC 6531. */
    SMTPUTF8,
    /** RFC 3030 §3; needs {@link #CHUNKING} as well. */
    BINARYMIME,
    /** RFC 3030 §2. */
    CHUNKING
}
