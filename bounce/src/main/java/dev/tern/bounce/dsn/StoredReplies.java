package dev.tern.bounce.dsn;

import dev.tern.smtp.client.ReplyParser;
import dev.tern.smtp.reply.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Reads back the reply text the delivery service stored on a recipient ({@code Recipient.lastReply},
 * written as {@code Reply.toString()}, e.g. {@code "550 5.1.1 no such user"}) into a {@link Reply}.
 *
 * <p>Uses the SMTP client's own {@link ReplyParser} (RFC 5321 §4.2, RFC 2034 §4) rather than a
 * second parser, so the status code is extracted by the same rules as on the wire: taken when its
 * class matches the reply code. Text that is not a reply (a hand-written record, a truncated
 * header) yields empty and the caller falls back to a generic status. Pure and thread-safe.
 */
public final class StoredReplies {

    private StoredReplies() {
    }

    public static Optional<Reply> parse(String stored) {
        if (stored == null || stored.isBlank() || stored.indexOf('\n') >= 0 || stored.indexOf('\r') >= 0) {
            return Optional.empty();
        }
        try {
            List<Reply> replies = new ReplyParser().feed((stored.strip() + "\r\n").getBytes(StandardCharsets.UTF_8));
            return replies.size() == 1 ? Optional.of(replies.get(0)) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
