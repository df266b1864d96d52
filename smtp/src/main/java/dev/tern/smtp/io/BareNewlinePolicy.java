package dev.tern.smtp.io;

/**
 * What to do with a CR or LF in a DATA body that is not part of a CRLF pair.
 *
 * <p>Either way such a sequence never ends the message: end-of-data is only CRLF "." CRLF
 * (RFC 5321 §4.1.1.4), which is what defeats SMTP smuggling (CVE-2023-51764/51765/51766). The
 * policy decides what happens to a message that contained one, like Postfix's
 * {@code smtpd_forbid_bare_newline}.
 */
public enum BareNewlinePolicy {
    /**
     * Read the message to its real end, then refuse it with {@code 550 5.5.2}. The default:
     * RFC 5321 §2.3.8 forbids bare CR and LF, and a message carrying them is either broken or an
     * attempt to smuggle a second message past a downstream server.
     */
    REJECT,
    /**
     * Accept the message, writing each bare CR and each bare LF as CRLF, so that whatever we
     * relay is unambiguous. For legacy senders that write LF-only lines.
     */
    NORMALIZE
}
