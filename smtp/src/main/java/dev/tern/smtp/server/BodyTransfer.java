package dev.tern.smtp.server;

/** How the client sends the message body: DATA (RFC 5321 §4.1.1.4) or BDAT (RFC 3030 §2). */
public enum BodyTransfer {
    DATA,
    BDAT
}
