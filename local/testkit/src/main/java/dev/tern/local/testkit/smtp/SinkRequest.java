package dev.tern.local.testkit.smtp;

import java.util.List;

/**
 * What the {@link SmtpSink} is about to answer, handed to a {@link SinkBehaviour}.
 *
 * @param stage the protocol step being answered
 * @param connectionId 1 for the sink's first connection, 2 for the second, ...
 * @param sender reverse path of the current transaction ({@code ""} for {@code <>}); null before MAIL
 * @param recipient the recipient being answered at {@link Stage#RCPT}, and at {@link Stage#DATA}
 *     in LMTP mode (one reply per recipient); null otherwise
 * @param recipients recipients accepted so far in this transaction
 * @param attempt how many times the sink has been asked this question, this one included:
 *     per connection for {@link Stage#CONNECT}; per sender for {@link Stage#MAIL}; per recipient
 *     address, across all connections, for {@link Stage#RCPT} and LMTP {@link Stage#DATA}; per
 *     sender and recipient list for SMTP {@link Stage#DATA} and {@link Stage#DATA_START}. "Answer 451 on attempt 1, 250 later"
 *     is therefore {@code r.attempt() == 1 ? SinkReply.of(451, ...) : null}.
 */
public record SinkRequest(Stage stage, int connectionId, String sender, String recipient,
        List<String> recipients, int attempt) {

    /** The points at which a behaviour can choose the reply. */
    public enum Stage {
        /** The greeting; a non-2xx reply is sent and the connection closed. */
        CONNECT,
        MAIL,
        RCPT,
        /**
         * The DATA command, before its 354: a refusal here is sent instead of 354;
         * {@link SinkReply#hang()} sends the 354 and then stalls mid-DATA.
         */
        DATA_START,
        /** After the end-of-data dot: once per transaction (SMTP) or once per recipient (LMTP). */
        DATA
    }

    public SinkRequest {
        recipients = List.copyOf(recipients);
    }
}
