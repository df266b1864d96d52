package dev.tern.smtp.server;

import dev.tern.smtp.address.ReversePath;
import dev.tern.smtp.parse.MailParameters;
import java.util.List;
import java.util.Optional;

/** A read-only look at a session's state, for {@link SessionPolicy} decisions. */
public interface SessionView {

    /** The HELO/EHLO argument, empty before HELO/EHLO (and again after STARTTLS). */
    Optional<String> heloName();

    /** True after EHLO, false after HELO or before either. */
    boolean esmtp();

    /** The TLS parameters, empty on a plaintext connection. */
    Optional<TlsInfo> tls();

    /** The SASL identity, empty when not authenticated. */
    Optional<String> authIdentity();

    /** The current transaction's sender, empty outside a transaction. */
    Optional<ReversePath> sender();

    /** The current transaction's MAIL parameters ({@link MailParameters#NONE} outside one). */
    MailParameters mailParameters();

    /** Recipients accepted so far in the current transaction. */
    List<AcceptedRecipient> recipients();
}
