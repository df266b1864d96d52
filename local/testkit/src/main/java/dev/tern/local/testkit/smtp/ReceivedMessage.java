package dev.tern.local.testkit.smtp;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * A message the {@link SmtpSink} accepted.
 *
 * @param connectionId the sink connection it arrived on (1-based, in accept order)
 * @param helo the argument of the client's EHLO/HELO/LHLO
 * @param sender the reverse path, {@code ""} for the null sender {@code <>}
 * @param recipients the recipients whose delivery the sink acknowledged with 2xx
 * @param body the message content exactly as received after dot-unstuffing, CRLFs included,
 *     without the terminating {@code .CRLF}
 * @param receivedAt when the end of data was read
 * @param tls whether the transaction ran inside STARTTLS
 * @param clientAddress the IP address the connection came from (the sender's source address)
 */
public record ReceivedMessage(int connectionId, String helo, String sender, List<String> recipients,
        byte[] body, Instant receivedAt, boolean tls, String clientAddress) {

    public ReceivedMessage {
        recipients = List.copyOf(recipients);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8 (8BITMIME/SMTPUTF8 content is UTF-8 in Tern's tests). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
