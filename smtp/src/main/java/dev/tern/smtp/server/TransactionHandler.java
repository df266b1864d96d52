package dev.tern.smtp.server;

import dev.tern.smtp.io.BdatReader;
import dev.tern.smtp.io.DataReader;
import dev.tern.smtp.io.DataSummary;
import dev.tern.smtp.parse.BodyType;
import dev.tern.smtp.parse.Command;
import dev.tern.smtp.parse.MailParameters;
import dev.tern.smtp.parse.RcptParameters;
import dev.tern.smtp.reply.Reply;
import java.util.Optional;

/**
 * The mail transaction: MAIL, RCPT, DATA and BDAT with their sequencing (RFC 5321 §4.1.4,
 * RFC 3030 §2–3), parameter checks against what was advertised, limits, and the hand-over of the
 * body to the policy's {@link MessageSink}.
 *
 * <p>Order of checks for MAIL: HELO/EHLO seen ({@code 503 5.5.1}), STARTTLS when required and
 * AUTH when required ({@code 530 5.7.0}), no transaction yet ({@code 503 5.5.1}), parameters
 * advertised ({@code 555 5.5.4}), SIZE within the limit ({@code 552 5.3.4}), then the policy.
 * Recipients beyond the limit get {@code 452 4.5.3}, which RFC 5321 §4.5.3.1.10 asks clients to
 * treat as "send the rest in another transaction", so it does not count as a client error.
 *
 * <p>A refused BDAT still has its chunk read and dropped (RFC 3030 §2), or the chunk's octets
 * would be taken for commands. Package-private; confined to the session's thread.
 */
final class TransactionHandler {

    private final SessionContext ctx;

    TransactionHandler(SessionContext ctx) {
        this.ctx = ctx;
    }

    void mail(Command.MailFrom command) {
        SessionState state = ctx.state();
        SessionConfig config = ctx.config();
        MailParameters parameters = command.parameters();
        Reply refusal = null;
        if (state.heloName().isEmpty()) {
            refusal = Replies.SEND_HELO_FIRST;
        } else if (config.tlsRequired() && !state.tlsActive()) {
            refusal = Replies.TLS_REQUIRED;
        } else if (config.authRequired() && !state.authenticated()) {
            refusal = Replies.AUTH_REQUIRED;
        } else if (state.inTransaction()) {
            refusal = Replies.NESTED_MAIL;
        } else {
            refusal = notAdvertised(parameters).orElse(null);
            if (refusal == null && parameters.size() != null && parameters.size() > config.maxMessageSize()) {
                refusal = Replies.MESSAGE_TOO_BIG;
            }
        }
        if (refusal != null) {
            ctx.reply(refusal);
            return;
        }
        ctx.await(() -> ctx.policy().checkSender(command.sender(), parameters, state),
                error -> Replies.LOCAL_ERROR, verdict -> {
                    if (verdict.isPositive()) {
                        state.beginTransaction(command.sender(), parameters);
                    }
                    ctx.reply(verdict);
                });
    }

    void rcpt(Command.RcptTo command) {
        SessionState state = ctx.state();
        RcptParameters parameters = command.parameters();
        if (!state.inTransaction()) {
            ctx.reply(Replies.NEED_MAIL);
        } else if (state.bdat() != null) {
            ctx.reply(Replies.TRANSACTION_IN_PROGRESS);
        } else if (!parameters.isEmpty() && !state.advertised(Extension.DSN)) {
            ctx.reply(unsupported(parameters.orcpt() != null ? "ORCPT" : "NOTIFY"));
        } else if (state.recipientCount() >= ctx.config().maxRecipients()) {
            ctx.replyUncounted(Replies.TOO_MANY_RECIPIENTS);
        } else {
            ctx.await(() -> ctx.policy().checkRecipient(command.recipient(), parameters, state),
                    error -> Replies.LOCAL_ERROR, verdict -> {
                        if (verdict.isPositive()) {
                            state.addRecipient(new AcceptedRecipient(command.recipient(), parameters));
                        }
                        ctx.reply(verdict);
                    });
        }
    }

    void data() {
        SessionState state = ctx.state();
        if (!state.inTransaction()) {
            ctx.reply(Replies.NEED_MAIL);
        } else if (state.bdat() != null) {
            ctx.reply(Replies.DATA_AFTER_BDAT);
        } else if (state.mailParameters().body() == BodyType.BINARY_MIME) {
            ctx.reply(Replies.BINARYMIME_NEEDS_BDAT);
        } else if (state.recipientCount() == 0) {
            ctx.reply(Replies.NEED_RCPT);
        } else {
            ctx.await(() -> ctx.policy().checkData(state), error -> Replies.LOCAL_ERROR, verdict -> {
                if (!verdict.isPositive()) {
                    ctx.reply(verdict);
                    return;
                }
                MessageSink sink = open(BodyTransfer.DATA);
                if (sink == null) {
                    return;
                }
                state.bodyStarted(sink, null);
                ctx.replyUncounted(Replies.START_DATA);
                DataReader reader = new DataReader(ctx.config().dataOptions(), sink::write);
                ctx.readBytes(reader::feed, () -> bodyComplete(reader.summary()));
            });
        }
    }

    void bdat(Command.Bdat command) {
        SessionState state = ctx.state();
        Reply refusal = null;
        if (!state.advertised(Extension.CHUNKING)) {
            refusal = Replies.NOT_IMPLEMENTED;
        } else if (!state.inTransaction()) {
            refusal = Replies.NEED_MAIL;
        } else if (state.recipientCount() == 0) {
            refusal = Replies.NEED_RCPT;
        }
        if (refusal != null) {
            discardChunk(command.size(), refusal);
        } else if (state.bdat() != null) {
            readChunk(command, state.bdat());
        } else {
            ctx.await(() -> ctx.policy().checkData(state), error -> Replies.LOCAL_ERROR, verdict -> {
                if (!verdict.isPositive()) {
                    discardChunk(command.size(), verdict);
                    return;
                }
                MessageSink sink = open(BodyTransfer.BDAT);
                if (sink == null) {
                    discardChunk(command.size(), null);
                    return;
                }
                BdatReader reader = new BdatReader(ctx.config().dataOptions(), sink::write);
                state.bodyStarted(sink, reader);
                readChunk(command, reader);
            });
        }
    }

    private void readChunk(Command.Bdat command, BdatReader reader) {
        reader.startChunk(command.size());
        ctx.readBytes(reader::feed, () -> {
            DataSummary summary = reader.summary();
            if (summary.sizeExceeded()) {
                // RFC 3030 §2: the transaction failed; later chunks get 503 (no MAIL).
                ctx.state().resetTransaction();
                ctx.replyUncounted(Replies.MESSAGE_TOO_BIG);
            } else if (command.last()) {
                bodyComplete(summary);
            } else {
                ctx.replyUncounted(Replies.chunkReceived(command.size()));
            }
        });
    }

    /** Reads and drops a refused chunk, then sends {@code refusal} (if not already sent). */
    private void discardChunk(long size, Reply refusal) {
        BdatReader sinkhole = BdatReader.discarding();
        sinkhole.startChunk(size);
        ctx.readBytes(sinkhole::feed, () -> {
            if (refusal != null) {
                ctx.reply(refusal);
            }
        });
    }

    /** End of body: refuse on the session's own checks, else let the sink queue the message. */
    private void bodyComplete(DataSummary summary) {
        SessionState state = ctx.state();
        Optional<Reply> rejection = summary.rejection();
        if (rejection.isPresent()) {
            state.resetTransaction();
            ctx.replyUncounted(rejection.get());
            return;
        }
        MessageSink sink = state.sink();
        // The sink now belongs to complete(): a later RSET or disconnect must not abort it.
        state.finishTransaction();
        ctx.await(() -> sink.complete(summary), error -> Replies.LOCAL_ERROR, ctx::replyUncounted);
    }

    /** Opens the policy's sink; on failure replies 451 4.3.0, ends the transaction, returns null. */
    private MessageSink open(BodyTransfer transfer) {
        SessionState state = ctx.state();
        try {
            return java.util.Objects.requireNonNull(ctx.policy().open(state.envelope(transfer)), "sink");
        } catch (RuntimeException e) {
            state.resetTransaction();
            ctx.replyUncounted(Replies.LOCAL_ERROR);
            return null;
        }
    }

    /** The first MAIL parameter whose extension this session did not advertise. */
    private Optional<Reply> notAdvertised(MailParameters p) {
        SessionState state = ctx.state();
        if (p.size() != null && !state.advertised(Extension.SIZE)) {
            return Optional.of(unsupported("SIZE"));
        }
        if (p.body() == BodyType.BINARY_MIME && !state.advertised(Extension.BINARYMIME)) {
            return Optional.of(unsupported("BODY=BINARYMIME"));
        }
        if (p.body() != null && !state.advertised(Extension.EIGHTBITMIME)) {
            return Optional.of(unsupported("BODY"));
        }
        if (p.smtpUtf8() && !state.advertised(Extension.SMTPUTF8)) {
            return Optional.of(unsupported("SMTPUTF8"));
        }
        if ((p.ret() != null || p.envId() != null) && !state.advertised(Extension.DSN)) {
            return Optional.of(unsupported(p.ret() != null ? "RET" : "ENVID"));
        }
        if (p.auth() != null && !state.advertised(Extension.AUTH)) {
            return Optional.of(unsupported("AUTH"));
        }
        return Optional.empty();
    }

    private static Reply unsupported(String parameter) {
        return Reply.of(555, "5.5.4", "Unsupported option: " + parameter);
    }
}
