package dev.tern.smtp.server;

import dev.tern.smtp.address.ReversePath;
import dev.tern.smtp.io.BdatReader;
import dev.tern.smtp.parse.MailParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mutable state of one SMTP session (RFC 5321 §4.1.4): what the client said in HELO/EHLO,
 * TLS and AUTH status, and the current mail transaction with its open {@link MessageSink}.
 *
 * <p>Owns the rules for forgetting: {@link #resetTransaction()} (RSET, HELO/EHLO, end of a
 * message) aborts any open sink; {@link #resetForTls(TlsInfo)} forgets everything the client
 * said before TLS (RFC 3207 §4.2). Package-private; confined to the session's thread.
 */
final class SessionState implements SessionView {

    private final SessionConfig config;
    private String heloName;
    private boolean esmtp;
    private TlsInfo tls;
    private String authIdentity;

    private ReversePath sender;
    private MailParameters mailParameters = MailParameters.NONE;
    private final List<AcceptedRecipient> recipients = new ArrayList<>();
    private MessageSink sink;
    private BdatReader bdat;

    SessionState(SessionConfig config) {
        this.config = config;
        this.tls = config.implicitTls();
    }

    @Override
    public Optional<String> heloName() {
        return Optional.ofNullable(heloName);
    }

    @Override
    public boolean esmtp() {
        return esmtp;
    }

    @Override
    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tls);
    }

    @Override
    public Optional<String> authIdentity() {
        return Optional.ofNullable(authIdentity);
    }

    @Override
    public Optional<ReversePath> sender() {
        return Optional.ofNullable(sender);
    }

    @Override
    public MailParameters mailParameters() {
        return mailParameters;
    }

    @Override
    public List<AcceptedRecipient> recipients() {
        return List.copyOf(recipients);
    }

    boolean tlsActive() {
        return tls != null;
    }

    boolean authenticated() {
        return authIdentity != null;
    }

    boolean inTransaction() {
        return sender != null;
    }

    int recipientCount() {
        return recipients.size();
    }

    /**
     * True when {@code extension} was (or would be) in this session's EHLO reply. Nothing is
     * advertised to a client that said HELO.
     */
    boolean advertised(Extension extension) {
        if (!esmtp || !config.extensions().contains(extension)) {
            return false;
        }
        return switch (extension) {
            case STARTTLS -> tls == null;
            case AUTH -> tls != null || config.plaintextAuth();
            case BINARYMIME -> config.extensions().contains(Extension.CHUNKING);
            default -> true;
        };
    }

    void greeted(String name, boolean extended) {
        resetTransaction();
        this.heloName = name;
        this.esmtp = extended;
    }

    void authenticated(String identity) {
        this.authIdentity = identity;
    }

    void beginTransaction(ReversePath from, MailParameters parameters) {
        this.sender = from;
        this.mailParameters = parameters;
    }

    void addRecipient(AcceptedRecipient recipient) {
        recipients.add(recipient);
    }

    MessageSink sink() {
        return sink;
    }

    /** Opens the body: records the sink, and the BDAT reader when the body comes in chunks. */
    void bodyStarted(MessageSink opened, BdatReader chunks) {
        this.sink = opened;
        this.bdat = chunks;
    }

    /** The reader of a BDAT transaction in progress, or {@code null}. */
    BdatReader bdat() {
        return bdat;
    }

    Envelope envelope(BodyTransfer transfer) {
        return new Envelope(heloName, esmtp, sender, mailParameters, recipients, authIdentity, tls, transfer);
    }

    /** Ends the transaction; a sink still open is aborted (its message is not queued). */
    void resetTransaction() {
        if (sink != null) {
            MessageSink open = sink;
            sink = null;
            open.abort();
        }
        bdat = null;
        sender = null;
        mailParameters = MailParameters.NONE;
        recipients.clear();
    }

    /** Forgets the sink without aborting it: it completed. Then ends the transaction. */
    void finishTransaction() {
        sink = null;
        resetTransaction();
    }

    /** After the TLS handshake: the client must start over with EHLO, and authenticate again. */
    void resetForTls(TlsInfo negotiated) {
        resetTransaction();
        heloName = null;
        esmtp = false;
        authIdentity = null;
        tls = negotiated;
    }
}
