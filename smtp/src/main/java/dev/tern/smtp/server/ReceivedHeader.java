package dev.tern.smtp.server;

import dev.tern.smtp.address.ForwardPath;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code Received:} trace field an accepting server prepends (RFC 5321 §4.4; RFC 5322
 * §3.6.7), in Postfix's layout:
 *
 * <pre>
 * Received: from helo.example (mail.example [192.0.2.1])
 * 	(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)
 * 	by mx.example.org (Tern) with ESMTPS id 4F3A2B
 * 	for &lt;user@example.org&gt;; Mon, 1 Jan 2024 12:00:00 +0000
 * </pre>
 *
 * <p>The {@code with} keyword comes from {@link #protocol} (RFC 3848, RFC 6531 §3.7.3). The
 * {@code for} clause is written only for a single recipient, so that one copy of a message does
 * not reveal its other (Bcc) recipients. IPv6 client addresses are tagged {@code IPv6:} as
 * TCP-info asks. Immutable and thread-safe.
 *
 * @param heloName       the HELO/EHLO argument
 * @param clientHostname the verified reverse-DNS name, or {@code null} ("unknown")
 * @param clientAddress  the client's IP address in text form
 * @param byHost         this server's name
 * @param protocol       the {@code with} keyword, e.g. {@code ESMTPSA}
 * @param tls            the connection's TLS, or {@code null}
 * @param queueId        the queue id given to the message
 * @param recipient      the single recipient, or {@code null}
 * @param date           when the message was received
 */
public record ReceivedHeader(String heloName, String clientHostname, String clientAddress, String byHost,
                             String protocol, TlsInfo tls, String queueId, ForwardPath recipient,
                             ZonedDateTime date) {

    private static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH);

    public ReceivedHeader {
        Objects.requireNonNull(heloName, "heloName");
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(byHost, "byHost");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(date, "date");
    }

    /** The header for a message with {@code envelope}; {@code for} only if it has one recipient. */
    public static ReceivedHeader of(Envelope envelope, String clientHostname, String clientAddress, String byHost,
                                    String queueId, ZonedDateTime date) {
        ForwardPath single = envelope.recipients().size() == 1 ? envelope.recipients().get(0).path() : null;
        return new ReceivedHeader(envelope.heloName(), clientHostname, clientAddress, byHost, envelope.protocol(),
                envelope.tls(), queueId, single, date);
    }

    /**
     * The {@code with} keyword: {@code SMTP} after HELO; after EHLO {@code ESMTP} plus {@code S}
     * for TLS and {@code A} for AUTH (RFC 3848 §2), or {@code UTF8SMTP} with the same suffixes
     * when the transaction used SMTPUTF8 (RFC 6531 §3.7.3).
     */
    public static String protocol(boolean esmtp, boolean tls, boolean authenticated, boolean smtpUtf8) {
        if (!esmtp) {
            return "SMTP";
        }
        return (smtpUtf8 ? "UTF8SMTP" : "ESMTP") + (tls ? "S" : "") + (authenticated ? "A" : "");
    }

    /** The folded field, ending in CRLF, ready to put in front of the message. */
    public String format() {
        var out = new StringBuilder(256).append("Received: from ").append(clean(heloName)).append(" (")
                .append(clientHostname == null ? "unknown" : clean(clientHostname)).append(" [")
                .append(clientAddress.indexOf(':') >= 0 ? "IPv6:" + clientAddress : clientAddress).append("])\r\n");
        if (tls != null) {
            out.append("\t(using ").append(clean(tls.protocol())).append(" with cipher ")
                    .append(clean(tls.cipherSuite())).append(")\r\n");
        }
        out.append("\tby ").append(byHost).append(" (Tern) with ").append(protocol).append(" id ").append(queueId);
        if (recipient != null) {
            out.append("\r\n\tfor ").append(recipient).append("; ");
        } else {
            out.append(";\r\n\t");
        }
        return out.append(RFC5322_DATE.format(date)).append("\r\n").toString();
    }

    /** {@link #format()} as UTF-8 bytes (UTF-8 only appears with SMTPUTF8, RFC 6532). */
    public byte[] toBytes() {
        return format().getBytes(StandardCharsets.UTF_8);
    }

    /** Client-supplied text must not break the header: no control characters. */
    private static String clean(String text) {
        var out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < 32 || c == 127 ? '?' : c);
        }
        return out.toString();
    }
}
