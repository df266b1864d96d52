package dev.tern.ingress.proxy;

import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.session.SessionFacts;
import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.address.ReversePath;
import dev.tern.smtp.io.DataSummary;
import dev.tern.smtp.parse.MailParameters;
import dev.tern.smtp.parse.RcptParameters;
import dev.tern.smtp.reply.Reply;
import dev.tern.smtp.server.Envelope;
import dev.tern.smtp.server.MessageSink;
import dev.tern.smtp.server.Replies;
import dev.tern.smtp.server.SessionPolicy;
import dev.tern.smtp.server.SessionView;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The decisions of one proxied client session, taken by its upstream session
 * (docs/ARCHITECTURE.md, "SMTP proxy mode"). Tern's own {@code ServerSession} still owns the
 * protocol (syntax, sequence, limits, bare-LF and smuggling defences, pipelining, STARTTLS); this
 * policy relays what it accepted:
 * <ul>
 *   <li>HELO/EHLO: answered by Tern, or {@code 451 4.4.1} when the upstream could not be opened.</li>
 *   <li>MAIL and RCPT: sent upstream one at a time; the upstream's reply (code, enhanced code,
 *       text) is the client's. An upstream transaction left open by RSET, a new EHLO or an aborted
 *       body is reset with RSET before the next MAIL (the client's RSET itself is answered by Tern).</li>
 *   <li>DATA/BDAT: the body is collected with the listener's size limit, the
 *       {@link ProxyContentCheck} runs, then it goes upstream as one BDAT or as DATA (so client
 *       CHUNKING works towards an upstream without it) and the upstream's final reply is the
 *       client's. A block or tempfail is Tern's own reply, and the upstream transaction is reset.</li>
 * </ul>
 * Nothing is queued: a lost or silent upstream gives {@code 451 4.4.1} for the command in flight
 * and every later one, never a 250 for mail the upstream did not take.
 *
 * <p>Threading: the upstream's stages complete on the client connection's event loop; the content
 * check's may not, so its continuation is brought back with {@code onContext}.
 */
public final class ProxySessionPolicy implements SessionPolicy {

    private final SessionFacts facts;
    private final CompletableFuture<Upstream> upstream;
    private final ProxyContentCheck check;
    private final IngressMetrics metrics;
    private final Executor onContext;
    private boolean upstreamTransaction;
    private boolean lossCounted;

    ProxySessionPolicy(SessionFacts facts, CompletableFuture<Upstream> upstream, ProxyContentCheck check,
            IngressMetrics metrics, Executor onContext) {
        this.facts = facts;
        this.upstream = upstream;
        this.check = check;
        this.metrics = metrics;
        this.onContext = onContext;
    }

    @Override
    public CompletionStage<Reply> checkHelo(String heloName, boolean esmtp, SessionView session) {
        return upstream.handle((u, e) -> e == null ? Replies.OK : ProxyReplies.UNAVAILABLE);
    }

    @Override
    public CompletionStage<Reply> checkSender(ReversePath sender, MailParameters parameters, SessionView session) {
        return withUpstream(u -> {
            if (parameters.smtpUtf8() && !u.capabilities().smtpUtf8()) {
                return CompletableFuture.completedFuture(ProxyReplies.SMTPUTF8_UNSUPPORTED);
            }
            CompletionStage<Reply> before = upstreamTransaction ? u.command(ProxyCommands.rset())
                    : CompletableFuture.completedFuture(null);
            if (u.capabilities().supports("XFORWARD")) {
                before = before.thenCompose(r -> u.command(ProxyCommands.xforward(facts.clientAddress(),
                        session.heloName().orElse(null), session.esmtp())));
            }
            return before.thenCompose(r -> {
                upstreamTransaction = true;
                return u.command(ProxyCommands.mail(sender, parameters, u.capabilities()));
            });
        });
    }

    @Override
    public CompletionStage<Reply> checkRecipient(ForwardPath recipient, RcptParameters parameters,
            SessionView session) {
        return withUpstream(u -> u.command(ProxyCommands.rcpt(recipient, parameters, u.capabilities())));
    }

    @Override
    public void commandReceived(String verb) {
        metrics.command(verb);
    }

    @Override
    public MessageSink open(Envelope envelope) {
        return new CollectingSink(envelope);
    }

    /** Ends the upstream session (QUIT) once the client's has ended; safe before the upstream is open. */
    public void close() {
        upstream.thenAccept(Upstream::quit);
    }

    /** The upstream's answer, or 451 4.4.1 when it is (or becomes) unavailable. */
    private CompletionStage<Reply> withUpstream(Function<Upstream, CompletionStage<Reply>> call) {
        if (upstream.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(ProxyReplies.UNAVAILABLE);
        }
        return upstream.thenCompose(call).exceptionally(this::unavailable);
    }

    private Reply unavailable(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (!lossCounted && upstream.isDone() && !upstream.isCompletedExceptionally()) {
            lossCounted = true;
            metrics.proxyUpstreamFailure(cause instanceof UpstreamUnavailable ? "lost" : "error");
        }
        return ProxyReplies.UNAVAILABLE;
    }

    /** Checks the content, then sends it upstream; the result is the reply to the client's end of data. */
    private CompletionStage<Reply> relay(Envelope envelope, byte[] message) {
        CompletionStage<ContentVerdict> verdict;
        try {
            verdict = check.check(new ProxyTransaction(facts, envelope), message);
        } catch (RuntimeException e) {
            verdict = CompletableFuture.failedFuture(e);
        }
        return verdict.handleAsync((v, e) -> v, onContext).thenCompose(v -> withUpstream(u -> {
            if (v instanceof ContentVerdict.Pass pass) {
                return u.message(pass.message()).thenApply(reply -> {
                    upstreamTransaction = !reply.isPositive();
                    metrics.proxyMessage(reply.isPositive() ? "relayed" : "refused");
                    return reply;
                });
            }
            Reply refusal;
            if (v instanceof ContentVerdict.Block block) {
                refusal = block.reply();
                metrics.proxyMessage("blocked");
            } else if (v instanceof ContentVerdict.Tempfail tempfail) {
                refusal = tempfail.reply();
                metrics.proxyMessage("tempfailed");
            } else {
                refusal = ProxyReplies.CHECK_FAILED;
                metrics.proxyMessage("tempfailed");
            }
            upstreamTransaction = false;
            // Our own refusal stands whatever the upstream says to RSET (or if it is gone by now).
            return u.command(ProxyCommands.rset()).handle((r, e) -> refusal);
        }));
    }

    /**
     * Holds the body in memory: the session bounds it by {@code tern.ingress.limits.max-message-bytes},
     * and a content check needs all of it before anything goes upstream.
     */
    private final class CollectingSink implements MessageSink {
        private final Envelope envelope;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        CollectingSink(Envelope envelope) {
            this.envelope = envelope;
        }

        @Override
        public void write(byte[] chunk) {
            body.writeBytes(chunk);
        }

        @Override
        public CompletionStage<Reply> complete(DataSummary summary) {
            return relay(envelope, body.toByteArray());
        }

        @Override
        public void abort() {
            // Nothing went upstream yet; the next MAIL resets the upstream transaction.
        }
    }
}
