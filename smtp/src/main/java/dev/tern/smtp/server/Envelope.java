package dev.tern.smtp.server;

import dev.tern.smtp.address.ReversePath;
import dev.tern.smtp.parse.MailParameters;
import java.util.List;
import java.util.Objects;

/**
 * Everything known about a message when its body starts: given to {@link SessionPolicy#open}.
 *
 * @param heloName       the HELO/EHLO argument as sent
 * @param esmtp          the client said EHLO
 * @param sender         the MAIL FROM reverse-path
 * @param mailParameters SIZE, BODY, SMTPUTF8, RET, ENVID, AUTH= of MAIL FROM
 * @param recipients     the accepted recipients, in order
 * @param authIdentity   the SASL identity, or {@code null} when not authenticated
 * @param tls            the TLS parameters, or {@code null} for plaintext
 * @param transfer       DATA or BDAT
 */
public record Envelope(String heloName, boolean esmtp, ReversePath sender, MailParameters mailParameters,
                       List<AcceptedRecipient> recipients, String authIdentity, TlsInfo tls, BodyTransfer transfer) {

    public Envelope {
        Objects.requireNonNull(heloName, "heloName");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(mailParameters, "mailParameters");
        Objects.requireNonNull(transfer, "transfer");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
    }

    /** The RFC 3848 / RFC 6531 §3.7.3 "with" keyword for the {@code Received:} header. */
    public String protocol() {
        return ReceivedHeader.protocol(esmtp, tls != null, authIdentity != null, mailParameters.smtpUtf8());
    }
}
