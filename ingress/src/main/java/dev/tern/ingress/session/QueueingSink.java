package dev.tern.ingress.session;

import dev.tern.common.policy.Policy;
import dev.tern.common.queue.Provenance;
import dev.tern.common.queue.QueuedEnvelope;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.Schedule;
import dev.tern.ingress.dkim.DkimSigner;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.queue.KafkaPublisher;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Collects one message body and, at the end of data, queues it: prepends our {@code Received:}
 * header (and, on submission, a missing Date/Message-ID), signs outbound mail with the DKIM key
 * of its From domain when the policy has one ({@code dkim}), builds the {@link QueuedMessage} and
 * publishes it. A message that cannot be signed goes unsigned (logged), never refused. The reply is {@code 250 2.0.0 Ok: queued as <id>} only after Kafka acknowledged
 * the record; any failure or timeout answers {@code 451 4.3.0}, so the client keeps the message.
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
    private final KafkaPublisher publisher;
    private final IngressMetrics metrics;
    private final Executor blocking;
    private final Policy signing;
    private final String queueId = QueueIds.next();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(8192);

    /** @param signing the policy whose DKIM keys sign this message, or null for mail not leaving through us */
    QueueingSink(Envelope envelope, List<QueuedRecipient> recipients, SessionFacts facts, KafkaPublisher publisher,
            IngressMetrics metrics, Executor blocking, Policy signing) {
        this.envelope = envelope;
        this.recipients = recipients;
        this.facts = facts;
        this.publisher = publisher;
        this.metrics = metrics;
        this.blocking = blocking;
        this.signing = signing;
    }

    @Override
    public void write(byte[] chunk) {
        body.write(chunk, 0, chunk.length);
    }

    @Override
    public CompletionStage<Reply> complete(DataSummary summary) {
        Instant now = Instant.now();
        ZonedDateTime date = now.atZone(ZoneOffset.UTC);
        byte[] raw = body.toByteArray();
        var prefix = new StringBuilder(ReceivedHeader.of(envelope, null, facts.clientAddress(), facts.hostname(),
                queueId, date).format());
        if (envelope.authIdentity() != null) {
            prefix.append(MissingHeaders.forSubmission(raw, raw.length, queueId, facts.hostname(), date));
        }
        byte[] message = signed(concat(prefix.toString().getBytes(StandardCharsets.UTF_8), raw), now);

        var params = envelope.mailParameters();
        QueuedMessage queued = new QueuedMessage(queueId,
                new QueuedEnvelope(envelope.sender().mailbox().map(Object::toString).orElse(""), recipients,
                        params.envId(), params.ret(), params.body(), params.smtpUtf8()),
                new Provenance(facts.clientAddress(), envelope.heloName(), envelope.tls(), envelope.authIdentity()),
                Schedule.firstAttempt(now), message);
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> publisher.publish(queued), blocking)
                .thenCompose(stage -> stage)
                .handle((metadata, error) -> {
                    if (error != null) {
                        LOG.warnf("%s: not queued, answering 451: %s", queueId, rootMessage(error));
                        metrics.rejected("kafka");
                        return Reply.of(451, "4.3.0", "Error: queue temporarily unavailable, try again later");
                    }
                    metrics.accepted(message.length);
                    return Reply.of(250, "2.0.0", "Ok: queued as " + queueId);
                });
    }

    private byte[] signed(byte[] message, Instant now) {
        if (signing == null) {
            return message;
        }
        var key = DkimSigner.fromDomain(message).flatMap(signing::dkimFor);
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
