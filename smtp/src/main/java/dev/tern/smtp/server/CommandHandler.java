package dev.tern.smtp.server;

import dev.tern.smtp.parse.Command;
import dev.tern.smtp.parse.CommandParser;
import dev.tern.smtp.reply.Parsed;
import dev.tern.smtp.reply.Reply;

/**
 * Dispatches each parsed command: session-level commands (HELO, EHLO, RSET, NOOP, QUIT, VRFY,
 * EXPN, HELP, STARTTLS) are handled here, the mail transaction goes to
 * {@link TransactionHandler}, AUTH to {@link AuthHandler}.
 *
 * <p>Policies chosen: VRFY gets {@code 252 2.5.2} (RFC 5321 §3.5.3: neither confirm nor deny, so
 * VRFY cannot harvest addresses); EXPN gets {@code 502 5.5.1} like Postfix's disabled VRFY; HELP
 * points at RFC 5321. STARTTLS inside a transaction is refused as Postfix does. A BDAT whose
 * arguments cannot be parsed gets {@code 521 5.5.4} and the connection is closed (Postfix), since
 * its chunk cannot be skipped. Package-private; confined to the session's thread.
 */
final class CommandHandler {

    private final SessionContext ctx;
    private final TransactionHandler transaction;
    private final AuthHandler auth;
    private boolean refusingService;

    CommandHandler(SessionContext ctx) {
        this.ctx = ctx;
        this.transaction = new TransactionHandler(ctx);
        this.auth = new AuthHandler(ctx);
    }

    /** After a refusing greeting: only QUIT is served (RFC 5321 §3.1). */
    void refuseService() {
        refusingService = true;
    }

    void handle(byte[] line) {
        ctx.policy().commandReceived(verb(line));
        Parsed<Command> parsed = CommandParser.parse(line, ctx.state().mailParameters().smtpUtf8());
        if (refusingService) {
            if (parsed.isOk() && parsed.value() instanceof Command.Quit) {
                quit();
            } else {
                ctx.reply(Replies.NO_SERVICE);
            }
            return;
        }
        if (!parsed.isOk()) {
            if (verb(line).equals("BDAT")) {
                // RFC 3030 §2 wants a refused chunk read and dropped, but a malformed BDAT has no
                // usable size: its octets would be taken for commands. Hang up, as Postfix does.
                ctx.replyUncounted(Replies.BDAT_SYNTAX_HANG_UP);
                ctx.close();
                return;
            }
            ctx.reply(parsed.reply());
            return;
        }
        dispatch(parsed.value());
    }

    /** The first word of a command line, upper-cased, at most 10 octets: for counting only. */
    static String verb(byte[] line) {
        int end = 0;
        while (end < line.length && end < 10 && line[end] > ' ' && line[end] < 127) {
            end++;
        }
        return new String(line, 0, end, java.nio.charset.StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
    }

    private void dispatch(Command command) {
        if (command instanceof Command.Ehlo ehlo) {
            greet(ehlo.domain(), true);
        } else if (command instanceof Command.Helo helo) {
            greet(helo.domain(), false);
        } else if (command instanceof Command.MailFrom mail) {
            transaction.mail(mail);
        } else if (command instanceof Command.RcptTo rcpt) {
            transaction.rcpt(rcpt);
        } else if (command instanceof Command.Data) {
            transaction.data();
        } else if (command instanceof Command.Bdat bdat) {
            transaction.bdat(bdat);
        } else if (command instanceof Command.Rset) {
            ctx.state().resetTransaction();
            ctx.replyToJunk(Replies.OK);
        } else if (command instanceof Command.Noop) {
            ctx.replyToJunk(Replies.OK);
        } else if (command instanceof Command.Quit) {
            quit();
        } else if (command instanceof Command.Vrfy) {
            ctx.replyToJunk(Replies.VRFY_CANNOT);
        } else if (command instanceof Command.Expn) {
            ctx.replyToJunk(Replies.EXPN_DISABLED);
        } else if (command instanceof Command.Help) {
            ctx.reply(Replies.HELP);
        } else if (command instanceof Command.StartTls) {
            startTls();
        } else if (command instanceof Command.Auth authCommand) {
            auth.auth(authCommand);
        } else {
            throw new IllegalStateException("unhandled command " + command);
        }
    }

    /** HELO/EHLO: RFC 5321 §4.1.4, a (new) greeting also resets the transaction. */
    private void greet(String name, boolean esmtp) {
        SessionState state = ctx.state();
        ctx.await(() -> ctx.policy().checkHelo(name, esmtp, state), error -> Replies.LOCAL_ERROR, verdict -> {
            if (!verdict.isPositive()) {
                ctx.reply(verdict);
                return;
            }
            state.greeted(name, esmtp);
            ctx.reply(esmtp ? EhloReply.build(ctx.config(), state) : Reply.of(250, ctx.config().hostname()));
        });
    }

    private void quit() {
        ctx.replyUncounted(Replies.BYE);
        ctx.close();
    }

    /** RFC 3207 §4: 220, then the handshake; what was pipelined behind STARTTLS is dropped. */
    private void startTls() {
        SessionState state = ctx.state();
        if (!ctx.config().extensions().contains(Extension.STARTTLS)) {
            ctx.reply(Replies.NOT_IMPLEMENTED);
        } else if (state.tlsActive()) {
            ctx.reply(Replies.TLS_ALREADY_ACTIVE);
        } else if (state.inTransaction()) {
            ctx.reply(Replies.TRANSACTION_IN_PROGRESS);
        } else {
            ctx.replyUncounted(Replies.READY_TO_START_TLS);
            ctx.startTls();
        }
    }
}
