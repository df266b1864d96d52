package dev.tern.ingress.trust.recipients;

import dev.tern.common.policy.Transport;
import dev.tern.smtp.address.Mailbox;
import dev.tern.smtp.reply.Reply;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Asks the server a local domain is routed to whether it would take mail for a recipient: connect,
 * greeting, EHLO (SMTP, HELO if EHLO is refused, RFC 5321 §3.2) or LHLO (LMTP, RFC 2033 §4.1),
 * {@code MAIL FROM:<>}, {@code RCPT TO:<recipient>}, then RSET and QUIT. No message is sent. The
 * null reverse path is the one a server must accept (RFC 5321 §4.5.5) and the one Postfix's
 * address verification probes use, so a backend's sender checks cannot spoil the answer.
 *
 * <p>RCPT 250, 251 or 252 is {@link CalloutVerdict#VALID}; 550, 551 or 553 (no such mailbox,
 * not local, bad mailbox name) is {@link CalloutVerdict#UNKNOWN}. Every other answer is
 * {@link CalloutVerdict#DEFERRED}: a 4xx is the server's "ask again later", and any other 5xx
 * (500-504 syntax or sequence, 552 which RFC 5321 §4.5.3.1.10 says to treat as temporary at RCPT,
 * 554 policy) says something about the conversation, not that the user does not exist; refusing
 * the recipient on it, and caching that, would bounce real users over a misconfiguration. No
 * conversation at all (refused, dropped, timeout, garbled) is {@link CalloutVerdict#UNREACHABLE}.
 * A domain routed by MX has no server of ours to ask: {@link CalloutVerdict#NOT_CHECKED}. So is a
 * UTF-8 address when the server does not offer SMTPUTF8 (RFC 6531): it could not even be asked.
 *
 * <p>The conversation uses blocking sockets on the given {@link Executor}, never the caller's
 * thread (an event loop must not wait for a slow backend); it holds one executor thread for at
 * most the timeout, which bounds the whole conversation, connect included. The stage completes as
 * soon as RCPT is answered; RSET and QUIT follow on the executor's thread. Never completes
 * exceptionally: failures are {@link CalloutVerdict#UNREACHABLE}. Thread-safe.
 */
public final class RecipientCallout {

    private final Executor executor;
    private final String heloName;

    /**
     * @param executor runs the blocking conversations; size it for the callouts that may be in
     *     flight at once, each holding a thread for up to the callout timeout
     * @param heloName this host's name, sent with EHLO/LHLO
     */
    public RecipientCallout(Executor executor, String heloName) {
        this.executor = executor;
        this.heloName = heloName;
    }

    /** Asks the server of {@code transport}; the conversation ends within {@code timeout}. */
    public CompletionStage<CalloutResult> verify(Mailbox recipient, Transport transport, Duration timeout) {
        if (transport.kind() == Transport.Kind.MX) {
            return CompletableFuture.completedFuture(CalloutResult.of(CalloutVerdict.NOT_CHECKED,
                    "routed by MX, no server of ours to ask"));
        }
        CompletableFuture<CalloutResult> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            executor.execute(() -> converse(recipient, transport, deadline, result));
        } catch (RejectedExecutionException e) {
            result.complete(CalloutResult.of(CalloutVerdict.UNREACHABLE, "callout executor refused the task: " + e));
        }
        return result;
    }

    private void converse(Mailbox recipient, Transport transport, long deadline,
            CompletableFuture<CalloutResult> result) {
        String server = transport.toString();
        try (CalloutConversation c = CalloutConversation.open(transport.host(), transport.port(), deadline)) {
            CalloutResult verdict = ask(c, recipient, transport.kind() == Transport.Kind.LMTP, server);
            result.complete(verdict);
            if (verdict.verdict() != CalloutVerdict.UNREACHABLE) {
                politeEnd(c);
            }
        } catch (SocketTimeoutException e) {
            result.complete(CalloutResult.of(CalloutVerdict.UNREACHABLE, server + " did not answer in time"));
        } catch (IOException | RuntimeException e) {
            result.complete(CalloutResult.of(CalloutVerdict.UNREACHABLE, server + ": " + e));
        }
    }

    private CalloutResult ask(CalloutConversation c, Mailbox recipient, boolean lmtp, String server)
            throws IOException {
        Reply greeting = c.read();
        if (greeting.code() != 220) {
            return deferred(server, "greeting", greeting);
        }
        Reply hello = c.command((lmtp ? "LHLO " : "EHLO ") + heloName);
        if (!lmtp && hello.isPermanentFailure()) {
            hello = c.command("HELO " + heloName);
        }
        if (hello.code() != 250) {
            return deferred(server, lmtp ? "LHLO" : "EHLO", hello);
        }
        c.enhancedStatusCodes(offers(hello, "ENHANCEDSTATUSCODES"));
        boolean utf8 = recipient.needsSmtpUtf8();
        if (utf8 && !offers(hello, "SMTPUTF8")) {
            return CalloutResult.of(CalloutVerdict.NOT_CHECKED, server + " does not offer SMTPUTF8 for " + recipient);
        }
        Reply mail = c.command("MAIL FROM:<>" + (utf8 ? " SMTPUTF8" : ""));
        if (!mail.isPositive()) {
            return deferred(server, "MAIL FROM:<>", mail);
        }
        Reply rcpt = c.command("RCPT TO:<" + recipient + ">");
        return CalloutResult.of(verdictOf(rcpt), server + " answered RCPT TO:<" + recipient + "> with " + rcpt);
    }

    /** The verdict a reply to RCPT gives (see the class comment for why only these codes decide). */
    static CalloutVerdict verdictOf(Reply rcpt) {
        return switch (rcpt.code()) {
            case 250, 251, 252 -> CalloutVerdict.VALID;
            case 550, 551, 553 -> CalloutVerdict.UNKNOWN;
            default -> CalloutVerdict.DEFERRED;
        };
    }

    private static CalloutResult deferred(String server, String step, Reply reply) {
        return CalloutResult.of(CalloutVerdict.DEFERRED, server + " answered " + step + " with " + reply);
    }

    /** True when the EHLO/LHLO reply lists {@code keyword} (RFC 5321 §4.1.1.1: one per line after the first). */
    private static boolean offers(Reply hello, String keyword) {
        for (int i = 1; i < hello.lines().size(); i++) {
            String line = hello.lines().get(i).toUpperCase(Locale.ROOT);
            if (line.equals(keyword) || line.startsWith(keyword + " ")) {
                return true;
            }
        }
        return false;
    }

    /** RSET ends the probe transaction, QUIT the session; the verdict is known, so failures here change nothing. */
    private static void politeEnd(CalloutConversation c) {
        try {
            c.command("RSET");
            c.command("QUIT");
        } catch (IOException | RuntimeException e) {
            // The server hung up or ran out the deadline after answering; nothing left to learn.
        }
    }
}
