package dev.tern.smtp.server;

import dev.tern.smtp.io.DataSummary;
import dev.tern.smtp.reply.Reply;
import java.util.concurrent.CompletionStage;

/**
 * Receives one message body as it streams in; opened per transaction by
 * {@link SessionPolicy#open(Envelope)}.
 *
 * <p>Lifecycle: any number of {@link #write} calls, then exactly one of {@link #complete} (the
 * body passed the session's checks: size, bare newlines, hop count) or {@link #abort} (it did not,
 * or the client sent RSET, QUIT or vanished). Calls come from the thread that drives the session.
 */
public interface MessageSink {

    /** Appends the next piece of the body (dot-unstuffed, CRLF line endings). The array is yours. */
    void write(byte[] chunk);

    /**
     * The body is complete. The returned stage yields the reply to the end of data: {@code 250
     * 2.0.0 Ok: queued as <id>} once the message is durably queued, or {@code 451 4.3.0} when it
     * could not be (docs/ARCHITECTURE.md, Durability rules: 250 only after the Kafka ack). A stage that fails exceptionally
     * is answered with {@code 451 4.3.0}.
     */
    CompletionStage<Reply> complete(DataSummary summary);

    /** Drops the message; nothing is queued. */
    void abort();
}
