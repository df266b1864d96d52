package dev.tern.smtp.server;

import dev.tern.smtp.reply.Reply;

/**
 * The fixed replies of the server state machine, in one place so that tests, metrics and the
 * ingress agree on them. Texts follow Postfix's where there is one, so that operators recognise
 * them. Codes: RFC 5321 §4.2.2–4.3.2; enhanced codes: RFC 3463, RFC 5248 registry.
 */
public final class Replies {

    public static final Reply OK = Reply.of(250, "2.0.0", "Ok");
    public static final Reply SENDER_OK = Reply.of(250, "2.1.0", "Ok");
    public static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "Ok");
    public static final Reply BYE = Reply.of(221, "2.0.0", "Bye");
    public static final Reply START_DATA = Reply.of(354, "End data with <CR><LF>.<CR><LF>");
    public static final Reply READY_TO_START_TLS = Reply.of(220, "2.0.0", "Ready to start TLS");
    public static final Reply AUTH_OK = Reply.of(235, "2.7.0", "Authentication successful");
    /** RFC 5321 §3.5.3: do not confirm addresses, but do not refuse the question either. */
    public static final Reply VRFY_CANNOT = Reply.of(252, "2.5.2",
            "Cannot VRFY user, but will accept message and attempt delivery");
    public static final Reply HELP = Reply.of(214, "2.0.0", "See https://www.rfc-editor.org/rfc/rfc5321");

    public static final Reply SEND_HELO_FIRST = Reply.of(503, "5.5.1", "Error: send HELO/EHLO first");
    public static final Reply SEND_EHLO_FIRST = Reply.of(503, "5.5.1", "Error: send EHLO first");
    public static final Reply NESTED_MAIL = Reply.of(503, "5.5.1", "Error: nested MAIL command");
    public static final Reply NEED_MAIL = Reply.of(503, "5.5.1", "Error: need MAIL command");
    public static final Reply NEED_RCPT = Reply.of(554, "5.5.1", "Error: no valid recipients");
    public static final Reply DATA_AFTER_BDAT = Reply.of(503, "5.5.1", "Error: DATA after BDAT in the same transaction");
    public static final Reply BINARYMIME_NEEDS_BDAT = Reply.of(503, "5.5.1", "Error: BODY=BINARYMIME requires BDAT");
    public static final Reply TRANSACTION_IN_PROGRESS = Reply.of(503, "5.5.1", "Error: MAIL transaction in progress");
    public static final Reply NO_SERVICE = Reply.of(503, "5.5.1", "Error: no SMTP service");
    public static final Reply NOT_IMPLEMENTED = Reply.of(502, "5.5.1", "Error: command not implemented");
    /** Postfix answers EXPN like a disabled VRFY: mailing lists are not expanded for strangers. */
    public static final Reply EXPN_DISABLED = Reply.of(502, "5.5.1", "EXPN command is disabled");
    /** A BDAT with an unparseable size: its chunk cannot be skipped, so the server hangs up (Postfix). */
    public static final Reply BDAT_SYNTAX_HANG_UP = Reply.of(521, "5.5.4", "Syntax: BDAT chunk-size [LAST]");
    public static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, "4.5.3", "Error: too many recipients");
    public static final Reply MESSAGE_TOO_BIG = Reply.of(552, "5.3.4", "Error: message size exceeds fixed limit");
    public static final Reply LOCAL_ERROR = Reply.of(451, "4.3.0", "Error: queue file write error");

    public static final Reply TLS_REQUIRED = Reply.of(530, "5.7.0", "Must issue a STARTTLS command first");
    public static final Reply TLS_ALREADY_ACTIVE = Reply.of(554, "5.5.1", "Error: TLS already active");
    public static final Reply AUTH_REQUIRED = Reply.of(530, "5.7.0", "Authentication required");
    public static final Reply AUTH_NOT_ENABLED = Reply.of(503, "5.5.1", "Error: authentication not enabled");
    public static final Reply AUTH_NEEDS_TLS = Reply.of(538, "5.7.11", "Encryption required for requested authentication mechanism");
    public static final Reply ALREADY_AUTHENTICATED = Reply.of(503, "5.5.1", "Error: already authenticated");
    public static final Reply AUTH_MECHANISM_UNKNOWN = Reply.of(504, "5.5.4", "Unrecognized authentication type");
    public static final Reply AUTH_CANCELLED = Reply.of(501, "5.0.0", "Authentication aborted");
    public static final Reply AUTH_BAD_BASE64 = Reply.of(501, "5.5.2", "Cannot decode response");
    public static final Reply AUTH_BAD_RESPONSE = Reply.of(501, "5.5.2", "Invalid authentication response");
    /** RFC 4954 §4: a SASL response longer than 12288 octets. */
    public static final Reply AUTH_LINE_TOO_LONG = Reply.of(500, "5.5.6", "Authentication Exchange line is too long");

    private Replies() {
    }

    /** {@code 220 host ESMTP Tern}, the greeting (RFC 5321 §4.2; no enhanced code, RFC 2034 §3). */
    public static Reply greeting(String hostname) {
        return Reply.of(220, hostname + " ESMTP Tern");
    }

    /** {@code 421 4.7.0}: the client made too many errors (Postfix {@code smtpd_hard_error_limit}). */
    public static Reply tooManyErrors(String hostname) {
        return Reply.of(421, "4.7.0", hostname + " Error: too many errors");
    }

    /** {@code 421 4.4.2}: the client was idle too long (RFC 5321 §4.5.3.2.7). */
    public static Reply timeout(String hostname) {
        return Reply.of(421, "4.4.2", hostname + " Error: timeout exceeded");
    }

    /** {@code 421 4.3.2}: the server is going away (pod shutdown). */
    public static Reply shuttingDown(String hostname) {
        return Reply.of(421, "4.3.2", hostname + " Service shutting down, try again later");
    }

    /**
     * {@code 554 5.5.1}: the client sent data before the greeting (RFC 5321 §4.3.1; a spam-bot
     * tell that postscreen calls "pregreet"). The ingress detects it by timing.
     */
    public static Reply earlyTalker(String hostname) {
        return Reply.of(554, "5.5.1", hostname + " Error: SMTP protocol violation: talked before the greeting");
    }

    /** The 250 to a BDAT chunk that is not the last (RFC 3030 §2). */
    public static Reply chunkReceived(long octets) {
        return Reply.of(250, "2.0.0", "Ok: " + octets + " octets received");
    }
}
