package dev.tern.smtp.client;

import dev.tern.smtp.dsn.Notify;
import dev.tern.smtp.dsn.XText;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Formats client commands as wire bytes, each terminated by CRLF (RFC 5321 §4.1).
 *
 * <p>MAIL and RCPT parameters are added only when the peer advertised the extension that defines
 * them: SIZE (RFC 1870 §6), BODY=8BITMIME (RFC 6152 §2), SMTPUTF8 (RFC 6531 §3.4), RET/ENVID and
 * NOTIFY/ORCPT (RFC 3461 §4, xtext-encoded by {@link XText}). The caller decides beforehand whether the
 * message may be sent at all ({@link ClientTransaction}).
 *
 * <p>Arguments are checked for CR, LF, NUL and angle brackets, so that a bad address can never
 * become a second command; violations throw {@link IllegalArgumentException}. Stateless.
 */
public final class SmtpCommands {

    private SmtpCommands() {
    }

    public static byte[] ehlo(String heloName) {
        return line("EHLO " + checkWord(heloName));
    }

    /** LMTP's replacement for EHLO (RFC 2033 §4.1). */
    public static byte[] lhlo(String heloName) {
        return line("LHLO " + checkWord(heloName));
    }

    public static byte[] helo(String heloName) {
        return line("HELO " + checkWord(heloName));
    }

    public static byte[] startTls() {
        return line("STARTTLS");
    }

    /** RFC 4954 §4 with the RFC 4616 initial response {@code authzid NUL authcid NUL passwd}. */
    public static byte[] authPlain(String username, String password) {
        byte[] response = ("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8);
        return line("AUTH PLAIN " + Base64.getEncoder().encodeToString(response));
    }

    /** RFC 4954 §4, LOGIN mechanism without an initial response: the server prompts for each part. */
    public static byte[] authLogin() {
        return line("AUTH LOGIN");
    }

    /** One base64 response to a {@code 334} challenge (RFC 4954 §4); empty bytes give an empty line. */
    public static byte[] saslResponse(byte[] response) {
        return line(Base64.getEncoder().encodeToString(response));
    }

    public static byte[] mail(OutboundEnvelope envelope, EhloCapabilities caps) {
        var command = new StringBuilder("MAIL FROM:<").append(envelope.reversePath()).append('>');
        if (caps.size()) {
            command.append(" SIZE=").append(envelope.size());
        }
        if (envelope.eightBit() && caps.eightBitMime()) {
            command.append(" BODY=8BITMIME");
        }
        if (envelope.smtpUtf8() && caps.smtpUtf8()) {
            command.append(" SMTPUTF8");
        }
        if (caps.dsn()) {
            if (envelope.ret() != null) {
                command.append(" RET=").append(envelope.ret().name());
            }
            if (envelope.envelopeId() != null) {
                command.append(" ENVID=").append(XText.encode(envelope.envelopeId()));
            }
        }
        return line(command.toString());
    }

    public static byte[] rcpt(OutboundRecipient recipient, EhloCapabilities caps) {
        var command = new StringBuilder("RCPT TO:<").append(recipient.address()).append('>');
        if (caps.dsn()) {
            if (!recipient.notifyOn().isEmpty()) {
                command.append(" NOTIFY=").append(Notify.toParameter(recipient.notifyOn()));
            }
            if (recipient.orcpt() != null) {
                command.append(" ORCPT=").append(recipient.orcpt().toParameter());
            }
        }
        return line(command.toString());
    }

    public static byte[] data() {
        return line("DATA");
    }

    public static byte[] rset() {
        return line("RSET");
    }

    public static byte[] quit() {
        return line("QUIT");
    }

    /** Rejects what could end or split a command when placed inside {@code <...>}. */
    static String checkPath(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c == '<' || c == '>') {
                throw new IllegalArgumentException("illegal character in address: " + path.replace("\r", "\\r").replace("\n", "\\n"));
            }
        }
        return path;
    }

    private static String checkWord(String word) {
        if (word.isEmpty()) {
            throw new IllegalArgumentException("empty argument");
        }
        if (word.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("space in argument: " + word);
        }
        return checkPath(word);
    }

    private static byte[] line(String command) {
        return (command + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
