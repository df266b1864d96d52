package dev.tern.smtp.server;

import dev.tern.smtp.io.LineResult;
import dev.tern.smtp.reply.Reply;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the command handlers may do to their {@link ServerSession}: reply, wait for the policy,
 * take over the input for a body or a SASL response, start TLS, close. Package-private: it
 * keeps the handlers free of the input loop and the loop free of protocol rules.
 */
interface SessionContext {

    SessionConfig config();

    SessionPolicy policy();

    SessionState state();

    /** Sends a reply to a command; a 4xx/5xx counts toward the hard error limit. */
    void reply(Reply reply);

    /** Sends a reply that does not count as a client error (end of data, 452 recipient limit). */
    void replyUncounted(Reply reply);

    /**
     * Sends the reply to a junk command (NOOP, RSET, VRFY, EXPN): past the session's junk command
     * limit each one counts as an error, so a client cannot keep a connection busy forever with
     * commands that are each harmless (Postfix {@code smtpd_junk_command_limit}).
     */
    void replyToJunk(Reply reply);

    /**
     * Calls {@code call} and continues with {@code then} once its stage completes; meanwhile
     * further input is queued, not processed. A stage that fails, or a call that throws, gives
     * {@code recover}'s value instead.
     */
    <T> void await(Supplier<CompletionStage<T>> call, Function<Throwable, T> recover, Consumer<T> then);

    /**
     * Hands the following input bytes to {@code consumer} (instead of the command reader) until
     * it returns true, then runs {@code whenDone}. The consumer must leave unconsumed bytes in
     * the buffer; they go back to the command reader.
     */
    void readBytes(Predicate<ByteBuffer> consumer, Runnable whenDone);

    /** Hands the next input line to {@code handler}, with the SASL line limit (RFC 4954 §4). */
    void readLine(Consumer<LineResult> handler);

    /** After the 220 to STARTTLS: drops pipelined input and signals {@link Signal#START_TLS}. */
    void startTls();

    /** After the last reply: drops everything and signals {@link Signal#CLOSE}. */
    void close();
}
