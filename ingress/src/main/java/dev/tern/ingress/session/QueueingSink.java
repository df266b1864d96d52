package dev.tern.ingress.session;

import dev.tern.common.event.AcceptedEvent;
import dev.tern.common.policy.Checks;
import dev.tern.common.policy.Milter;
import dev.tern.common.policy.Policy;
import dev.tern.common.queue.Provenance;
import dev.tern.common.queue.QueuedEnvelope;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.Schedule;
import dev.tern.ingress.authres.AuthenticationResults;
import dev.tern.ingress.authres.OwnResultsRemover;
import dev.tern.ingress.dkim.DkimSigner;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.trust.MessageVerdict;
import dev.tern.ingress.trust.spf.SpfVerdict;
import dev.tern.smtp.io.DataSummary;
import dev.tern.smtp.reply.Reply;
import dev.tern.smtp.server.Envelope;
import dev.tern.smtp.server.MessageSink;
import dev.tern.smtp.server.ReceivedHeader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Collects one message body and, at the end of data, queues it. Inbound mail first goes through
 * the message checks (DKIM, DMARC, ...), which may refuse it or mark it for quarantine, and gets
 * our {@code Authentication-Results:} header, with any forged one of our authserv-id removed.
 * Then our {@code Received:} header is prepended (and, on submission, a missing Date/Message-ID),
 * outbound mail is signed with the DKIM key of its From domain when the policy has one
 * ({@code dkim}), and the {@link QueuedMessage} is published. A message that cannot be signed goes
 * unsigned (logged), never refused. Before that, the policy's milters may refuse, discard,
 * change or quarantine it. The reply is {@code 250 2.0.0 Ok: queued as <id>} only after
 * Kafka acknowledged the record; any failure or timeout answers {@code 451 4.3.0}, so the client
 * keeps the message.
 *
 * <p>Memory is bounded by the session's size limit: the DATA reader stops handing us bytes past
 * it. The publish runs on {@code blocking} because the producer may block while it has no
 * metadata (broker down); the session never blocks its event loop.
 */
final class QueueingSink implements MessageSink {

    private static final Logger LOG = Logger.getLogger(QueueingSink.class);

    private final Envelope envelope;
    private final List<QueuedRecipient> recipients;
    private final SessionFacts facts;
    private final IngressServices services;
    private final Policy policy;
    private final boolean outbound;
    private final boolean feedback;
    private final SpfVerdict spf;
    private final String queueId = QueueIds.next();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(8192);

    /** Where the message goes and which treatment it gets. */
    enum Kind {
        /** From the outside to us: message checks, milters, {@code tern.inbound}. */
        INBOUND,
        /** Leaving through us (authenticated or trusted client): milters, DKIM signature, {@code tern.inbound}. */
        OUTBOUND,
        /**
         * To the bounce domain (docs/ARCHITECTURE.md, "Feedback loops and VERP"): reports for the
         * bounce service, which reads them as data and never delivers them, so neither checks nor
         * milters, straight to {@code tern.feedback}.
         */
        FEEDBACK
    }

    /**
     * @param policy the policy in force when the transaction's body began
     * @param kind   where the message goes and which treatment it gets
     * @param spf    the transaction's SPF verdict from MAIL FROM, or null
     */
    QueueingSink(Envelope envelope, List<QueuedRecipient> recipients, SessionFacts facts, IngressServices services,
            Policy policy, Kind kind, SpfVerdict spf) {
        this.envelope = envelope;
        this.recipients = recipients;
        this.facts = facts;
        this.services = services;
        this.policy = policy;
        this.outbound = kind == Kind.OUTBOUND;
        this.feedback = kind == Kind.FEEDBACK;
        this.spf = spf;
    }

    @Override
    public void write(byte[] chunk) {
        body.write(chunk, 0, chunk.length);
    }

    @Override
    public CompletionStage<Reply> complete(DataSummary summary) {
        long end = System.nanoTime();
        return reply(summary).whenComplete((reply, error) -> {
            if (reply != null) {
                services.metrics().dataReplied(System.nanoTime() - end, reply.code());
            }
        });
    }

    private CompletionStage<Reply> reply(DataSummary summary) {
        byte[] raw = body.toByteArray();
        if (feedback) {
            return publish(raw, "", recipients, null);
        }
        if (outbound) {
            Reply notOwned = envelope.authIdentity() == null ? null
                    : services.checks().sender().checkFromHeader(services.users().get(), envelope.authIdentity(), raw);
            return notOwned != null ? CompletableFuture.completedFuture(notOwned) : queue(raw, "", recipients);
        }
        // DKIM hashing and signature checks cost CPU in proportion to the message: off the event loop.
        return CompletableFuture.supplyAsync(() -> services.checks().message().check(policy.checks(), raw, spf,
                        facts.client(), envelope.heloName()), services.blocking())
                .thenCompose(stage -> stage)
                .thenCompose(verdict -> {
                    if (verdict.refusal() != null) {
                        LOG.infof("%s: refused after data: %s", queueId, verdict.refusal());
                        return CompletableFuture.completedFuture(verdict.refusal());
                    }
                    return queueInbound(raw, verdict);
                });
    }

    /** Adds our Authentication-Results (after removing forged ones) and, when quarantined, its mark. */
    private CompletionStage<Reply> queueInbound(byte[] raw, MessageVerdict verdict) {
        Checks checks = policy.checks();
        String authservId = checks.authservId() != null ? checks.authservId() : facts.hostname();
        var head = new StringBuilder();
        if (checks.authenticates()) {
            head.append(AuthenticationResults.header(authservId, verdict.results()));
        }
        List<QueuedRecipient> to = recipients;
        if (verdict.quarantine() != null) {
            head.append("X-Tern-Quarantine: ").append(verdict.quarantine()).append("\r\n");
            if (checks.quarantineTo() != null) {
                head.append("X-Tern-Quarantined-Recipients: ").append(String.join(",\r\n\t",
                        recipients.stream().map(QueuedRecipient::address).toList())).append("\r\n");
                to = List.of(new QueuedRecipient(checks.quarantineTo(), null, null, null, null));
            }
        }
        return queue(OwnResultsRemover.remove(raw, authservId), head.toString(), to);
    }

    /**
     * Runs the milters that apply to this listener and client (docs/ARCHITECTURE.md, "Content
     * filtering (milters)") on the message as the client sent it, then queues what they left, or
     * holds it on the quarantine topic, or answers their refusal.
     */
    private CompletionStage<Reply> queue(byte[] raw, String checkHeaders, List<QueuedRecipient> to) {
        List<Milter> milters = policy.miltersFor(facts.listener(), policy.relay().isTrusted(facts.client()),
                envelope.authIdentity() != null);
        if (milters.isEmpty()) {
            return publish(raw, checkHeaders, to, null);
        }
        return services.milters().check(milters, MilterRequests.of(envelope, facts, to, raw, queueId))
                .thenCompose(outcome -> switch (outcome.action()) {
                    case REJECT, TEMPFAIL -> {
                        LOG.infof("%s: refused by milter %s: %s", queueId, outcome.decidedBy(), outcome.reply());
                        services.metrics().rejected("milter");
                        yield CompletableFuture.completedFuture(outcome.reply());
                    }
                    case DISCARD -> {
                        // The client is told the message was taken, as milter semantics want; nothing is queued.
                        LOG.infof("%s: discarded by milter %s", queueId, outcome.decidedBy());
                        yield CompletableFuture.completedFuture(Reply.of(250, "2.0.0", "Ok: queued as " + queueId));
                    }
                    case DELIVER, QUARANTINE -> publish(outcome.message(), checkHeaders,
                            MilterRequests.recipients(to, outcome.recipients()), outcome.quarantineReason());
                });
    }

    /** @param quarantine why the message is held on the quarantine topic, or null to queue it for delivery */
    private CompletionStage<Reply> publish(byte[] raw, String checkHeaders, List<QueuedRecipient> to,
            String quarantine) {
        Instant now = Instant.now();
        ZonedDateTime date = now.atZone(ZoneOffset.UTC);
        var prefix = new StringBuilder(checkHeaders).append(ReceivedHeader.of(envelope, null, facts.clientAddress(),
                facts.hostname(), queueId, date).format());
        if (envelope.authIdentity() != null) {
            prefix.append(MissingHeaders.forSubmission(raw, raw.length, queueId, facts.hostname(), date));
        }
        byte[] message = concat(prefix.toString().getBytes(StandardCharsets.UTF_8), raw);
        if (outbound) {
            message = signed(message, now);
        }
        var params = envelope.mailParameters();
        QueuedMessage queued = new QueuedMessage(queueId,
                new QueuedEnvelope(envelope.sender().mailbox().map(Object::toString).orElse(""), to,
                        params.envId(), params.ret(), params.body(), params.smtpUtf8()),
                new Provenance(facts.clientAddress(), envelope.heloName(), envelope.tls(), envelope.authIdentity()),
                Schedule.firstAttempt(now), message);
        IngressMetrics metrics = services.metrics();
        int length = message.length;
        if (quarantine != null) {
            LOG.infof("%s: quarantined: %s", queueId, quarantine);
        }
        return CompletableFuture.supplyAsync(() -> feedback ? services.publisher().feedback(queued)
                        : quarantine == null ? services.publisher().publish(queued)
                        : services.publisher().quarantine(queued, quarantine), services.blocking())
                .thenCompose(stage -> stage)
                .handle((metadata, error) -> {
                    if (error != null) {
                        LOG.warnf("%s: not queued, answering 451: %s", queueId, rootMessage(error));
                        metrics.rejected("kafka");
                        return Reply.of(451, "4.3.0", "Error: queue temporarily unavailable, try again later");
                    }
                    metrics.accepted(length);
                    services.publisher().recordAccepted(accepted(queued, quarantine));
                    return Reply.of(250, "2.0.0", "Ok: queued as " + queueId);
                });
    }

    /** The message's first trace record; the reply does not wait for it. */
    private AcceptedEvent accepted(QueuedMessage queued, String quarantine) {
        return new AcceptedEvent(null, queueId, HeaderValue.of(queued.body(), "Message-ID"), queued.sender(),
                queued.recipients().stream().map(QueuedRecipient::address).toList(), facts.clientAddress(),
                envelope.heloName(), PodName.current(), facts.listener(), queued.body().length, quarantine,
                System.currentTimeMillis());
    }

    private byte[] signed(byte[] message, Instant now) {
        var key = DkimSigner.fromDomain(message).filter(this::maySignFor).flatMap(policy::dkimFor);
        if (key.isEmpty()) {
            return message;
        }
        try {
            return concat(DkimSigner.sign(message, key.get(), now).getBytes(StandardCharsets.US_ASCII), message);
        } catch (RuntimeException e) {
            LOG.warnf("%s: not DKIM-signed: %s", queueId, e.getMessage());
            return message;
        }
    }

    /**
     * Trusted networks sign for any domain we hold a key for, as before; an authenticated user
     * only for a domain its users-file entry owns, so one user cannot sign as another's domain.
     */
    private boolean maySignFor(String domain) {
        String user = envelope.authIdentity();
        if (user == null) {
            return true;
        }
        return services.users().get().sendersOf(user).map(s -> s.owns(domain)).orElse(false);
    }

    private static byte[] concat(byte[] head, byte[] rest) {
        byte[] out = new byte[head.length + rest.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(rest, 0, out, head.length, rest.length);
        return out;
    }

    @Override
    public void abort() {
        body.reset();
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
