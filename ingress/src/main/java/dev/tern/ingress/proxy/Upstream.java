package dev.tern.ingress.proxy;

import dev.tern.smtp.client.EhloCapabilities;
import dev.tern.smtp.reply.Reply;
import java.util.concurrent.CompletionStage;

/**
 * One SMTP session to the upstream server, opened for one client session and ready (greeted, EHLO
 * answered, STARTTLS done when the policy asks for it). Commands go one at a time: the caller
 * waits for a reply before it sends the next.
 *
 * <p>Failure: once the connection is lost, times out or the upstream says 421, every pending and
 * later stage fails with {@link UpstreamUnavailable}. Called on the client connection's thread.
 */
interface Upstream {

    /** What the upstream advertised in its last EHLO reply. */
    EhloCapabilities capabilities();

    /** Sends one command line (with its CRLF) and yields the upstream's reply to it. */
    CompletionStage<Reply> command(byte[] line);

    /**
     * Sends a message in the transaction the upstream accepted MAIL and RCPT for: one
     * {@code BDAT <size> LAST} when the upstream offers CHUNKING, else DATA and the dot-stuffed
     * body. Yields the upstream's final reply (or its refusal of DATA).
     */
    CompletionStage<Reply> message(byte[] message);

    /** Says QUIT (when still open) and closes; idempotent. */
    void quit();
}
