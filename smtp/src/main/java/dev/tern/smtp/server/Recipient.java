package dev.tern.smtp.server;

import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.parse.RcptParameters;
import java.util.Objects;

/** One accepted recipient of a transaction with its DSN parameters (RFC 3461 §4.1–4.2). */
public record Recipient(ForwardPath path, RcptParameters parameters) {

    public Recipient {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(parameters, "parameters");
    }
}
