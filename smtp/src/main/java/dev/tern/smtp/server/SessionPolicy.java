package dev.tern.smtp.server;

import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.address.ReversePath;
import dev.tern.smtp.parse.MailParameters;
import dev.tern.smtp.parse.RcptParameters;
import dev.tern.smtp.reply.Reply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The decisions a {@link ServerSession} leaves to the service that runs it: who may send, to
 * whom (relay control), with which credentials, and where accepted mail goes. Typically one
 * instance per connection, so it can hold the client's address.
 *
 * <p>Every check answers with a {@link Reply}: a positive one (2xx/3xx) accepts, anything else is
 * sent to the client as the refusal. For MAIL and RCPT the positive reply is sent as is; for
 * HELO/EHLO and DATA/BDAT the session sends its own positive reply (the EHLO capability list,
 * 354). Checks run only after the session's own syntax and sequence checks passed. Stages may
 * complete on any thread only if the session was given an executor that brings the continuation
 * back to its own thread (see {@link ServerSession}); a failed stage becomes {@code 451 4.3.0}.
 */
public interface SessionPolicy {

    default CompletionStage<Reply> checkHelo(String heloName, boolean esmtp, SessionView session) {
        return CompletableFuture.completedFuture(Replies.OK);
    }

    default CompletionStage<Reply> checkSender(ReversePath sender, MailParameters parameters, SessionView session) {
        return CompletableFuture.completedFuture(Replies.SENDER_OK);
    }

    /**
     * Relay control lives here: refuse recipients this server does not accept mail for
     * ({@code 554 5.7.1 Relay access denied}) and, for local domains, those whose local part
     * {@linkplain ForwardPath#hasRoutingCharacters() contains routing characters}.
     */
    default CompletionStage<Reply> checkRecipient(ForwardPath recipient, RcptParameters parameters,
                                                  SessionView session) {
        return CompletableFuture.completedFuture(Replies.RECIPIENT_OK);
    }

    /** Last check before the body (DATA, or the first BDAT); Postfix's smtpd_data_restrictions. */
    default CompletionStage<Reply> checkData(SessionView session) {
        return CompletableFuture.completedFuture(Replies.OK);
    }

    /**
     * Verifies SASL credentials (RFC 4954; PLAIN RFC 4616, LOGIN). {@code authorizationId} is the
     * PLAIN authzid, empty when none was given or for LOGIN.
     */
    default CompletionStage<AuthResult> authenticate(String authorizationId, String user, String password) {
        return CompletableFuture.completedFuture(AuthResult.invalidCredentials());
    }

    /**
     * A command line arrived (before it is parsed): {@code verb} is its first word, upper-cased,
     * possibly garbage. For metrics; must not block.
     */
    default void commandReceived(String verb) {
    }

    /** Opens the sink for a message whose body is about to arrive. */
    MessageSink open(Envelope envelope);
}
