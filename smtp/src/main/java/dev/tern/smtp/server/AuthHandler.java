package dev.tern.smtp.server;

import dev.tern.smtp.io.LineProblem;
import dev.tern.smtp.io.LineResult;
import dev.tern.smtp.parse.Command;
import dev.tern.smtp.reply.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * The AUTH command and its SASL exchange (RFC 4954 §4–6) for the PLAIN (RFC 4616) and LOGIN
 * mechanisms; the credentials themselves are checked by {@link SessionPolicy#authenticate}.
 *
 * <p>Refusals, in order: AUTH not offered ({@code 503 5.5.1}), no EHLO ({@code 503 5.5.1}), TLS
 * required first ({@code 530 5.7.0}), no TLS and plaintext AUTH not allowed
 * ({@code 538 5.7.11}), already authenticated or inside a transaction ({@code 503 5.5.1}),
 * unknown mechanism ({@code 504 5.5.4}). In the exchange, {@code *} cancels ({@code 501 5.0.0}),
 * bad base64 is {@code 501 5.5.2}, a response over 12288 octets {@code 500 5.5.6}; a policy
 * that fails to answer gives {@code 454 4.7.0} (RFC 4954 §6). Package-private; confined to the session's thread.
 */
final class AuthHandler {

    /** "Username:" and "Password:", base64, the de-facto LOGIN prompts. */
    private static final Reply USERNAME_PROMPT = Reply.of(334, "VXNlcm5hbWU6");
    private static final Reply PASSWORD_PROMPT = Reply.of(334, "UGFzc3dvcmQ6");
    private static final Reply EMPTY_CHALLENGE = Reply.of(334, "");
    private static final Reply TEMPORARY_FAILURE = Reply.of(454, "4.7.0", "Temporary authentication failure");

    private final SessionContext ctx;

    AuthHandler(SessionContext ctx) {
        this.ctx = ctx;
    }

    void auth(Command.Auth command) {
        Reply refusal = refusal(command.mechanism());
        if (refusal != null) {
            ctx.reply(refusal);
        } else if (command.mechanism().equals("PLAIN")) {
            withResponse(command.initialResponse(), EMPTY_CHALLENGE, this::plain);
        } else {
            withResponse(command.initialResponse(), USERNAME_PROMPT,
                    user -> withResponse(null, PASSWORD_PROMPT, password -> verify("", utf8(user), utf8(password))));
        }
    }

    private Reply refusal(String mechanism) {
        SessionState state = ctx.state();
        SessionConfig config = ctx.config();
        if (!config.extensions().contains(Extension.AUTH)) {
            return Replies.AUTH_NOT_ENABLED;
        }
        if (!state.esmtp()) {
            return Replies.SEND_EHLO_FIRST;
        }
        if (config.tlsRequired() && !state.tlsActive()) {
            return Replies.TLS_REQUIRED;
        }
        if (!state.advertised(Extension.AUTH)) {
            return Replies.AUTH_NEEDS_TLS;
        }
        if (state.authenticated()) {
            return Replies.ALREADY_AUTHENTICATED;
        }
        if (state.inTransaction()) {
            return Replies.TRANSACTION_IN_PROGRESS;
        }
        if (!config.authMechanisms().contains(mechanism)) {
            return Replies.AUTH_MECHANISM_UNKNOWN;
        }
        return null;
    }

    /**
     * Gets one decoded client response: the initial response when given ({@code "="} is an empty
     * one, RFC 4954 §4), else by sending {@code prompt} and reading the next line.
     */
    private void withResponse(String initial, Reply prompt, Consumer<byte[]> next) {
        if (initial != null) {
            decode(initial, next);
            return;
        }
        ctx.replyUncounted(prompt);
        ctx.readLine(line -> {
            if (line instanceof LineResult.Refused refused) {
                ctx.reply(refused.problem() == LineProblem.TOO_LONG ? Replies.AUTH_LINE_TOO_LONG
                        : refused.problem().reply());
            } else {
                decode(new String(((LineResult.Line) line).bytes(), StandardCharsets.US_ASCII), next);
            }
        });
    }

    private void decode(String response, Consumer<byte[]> next) {
        if (response.equals("*")) {
            ctx.reply(Replies.AUTH_CANCELLED);
            return;
        }
        byte[] decoded;
        try {
            decoded = response.equals("=") ? new byte[0] : Base64.getDecoder().decode(response);
        } catch (IllegalArgumentException e) {
            ctx.reply(Replies.AUTH_BAD_BASE64);
            return;
        }
        next.accept(decoded);
    }

    /** RFC 4616 §2: {@code [authzid] NUL authcid NUL passwd}, UTF-8. */
    private void plain(byte[] message) {
        String[] parts = utf8(message).split("\0", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            ctx.reply(Replies.AUTH_BAD_RESPONSE);
            return;
        }
        verify(parts[0], parts[1], parts[2]);
    }

    private void verify(String authorizationId, String name, String password) {
        if (name.isEmpty()) {
            ctx.reply(Replies.AUTH_BAD_RESPONSE);
            return;
        }
        ctx.await(() -> ctx.policy().authenticate(authorizationId, name, password),
                error -> AuthResult.failure(TEMPORARY_FAILURE), result -> {
                    if (result.succeeded()) {
                        ctx.state().authenticated(result.identity());
                        ctx.reply(Replies.AUTH_OK);
                    } else {
                        ctx.reply(result.failure());
                    }
                });
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
