package dev.tern.smtp.server;

import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.parse.RcptParameters;
import java.util.Objects;

/** One recipient the server accepted at RCPT TO in the open transaction with its DSN parameters (RFC 3461 §4.1–4.2). */
public record AcceptedRecipient(ForwardPath path, RcptParameters parameters) {

    public AcceptedRecipient {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(parameters, "parameters");
    }
}
