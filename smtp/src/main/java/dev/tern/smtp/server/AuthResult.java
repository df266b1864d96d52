package dev.tern.smtp.server;

import dev.tern.smtp.reply.Reply;
import java.util.Objects;

/**
 * The answer of {@link SessionPolicy#authenticate}: the authenticated identity, or the reply that
 * refuses the credentials.
 *
 * @param identity the identity to record (e.g. the user name), or {@code null} on failure
 * @param failure  the refusal, {@code null} on success
 */
public record AuthResult(String identity, Reply failure) {

    public AuthResult {
        if ((identity == null) == (failure == null)) {
            throw new IllegalArgumentException("exactly one of identity and failure must be given");
        }
    }

    public static AuthResult success(String identity) {
        return new AuthResult(Objects.requireNonNull(identity, "identity"), null);
    }

    /** {@code 535 5.7.8 Authentication credentials invalid} (RFC 4954 §6). */
    public static AuthResult invalidCredentials() {
        return new AuthResult(null, Reply.of(535, "5.7.8", "Error: authentication failed"));
    }

    public static AuthResult failure(Reply reply) {
        return new AuthResult(null, Objects.requireNonNull(reply, "reply"));
    }

    public boolean succeeded() {
        return identity != null;
    }
}
