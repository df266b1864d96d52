package dev.tern.smtp.client;

/** Where a recipient's fate was decided; tells a DSN whether a remote MTA said it. */
public enum Phase {
    /** Refused by us before anything was sent (SIZE, 8BITMIME, SMTPUTF8). */
    LOCAL,
    /** The connection failed: 421, lost, timed out, protocol error, handshake refused. */
    CONNECTION,
    /** The reply to MAIL FROM rejected the whole transaction. */
    MAIL,
    /** The reply to this recipient's RCPT TO. */
    RCPT,
    /** The reply to DATA (anything but 354). */
    DATA,
    /** The reply after the final {@code .}; in LMTP, this recipient's own reply. */
    END_OF_DATA
}
