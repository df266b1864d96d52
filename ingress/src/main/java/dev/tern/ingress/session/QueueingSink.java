package dev.tern.ingress.session;

import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.Recipient;
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
 * header (and, on submission, a missing Date/Message-ID), builds the {@link QueuedMessage} and
 * publishes it. The reply is {@code 250 2.0.0 Ok: queued as <id>} only after Kafka acknowledged
 * the record; any failure or timeout answers {@code 451 4.3.0}, so the client keeps the message.
 *
 * <p>Memory is bounded by the session's size limit: the DATA reader stops handing us bytes past
 * it. The publish runs on {@code blocking} because the producer may block while it has no
 * metadata (broker down); the session never blocks its event loop.
 */
final class QueueingSink implements MessageSink {

    private static final Logger LOG = Logger.getLogger(QueueingSink.class);

    private final Envelope envelope;
    private final List<Recipient> recipients;
    private final SessionFacts facts;
    private final KafkaPublisher publisher;
    private final IngressMetrics metrics;
    private final Executor blocking;
    private final String queueId = QueueIds.next();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(8192);

    QueueingSink(Envelope envelope, List<Recipient> recipients, SessionFacts facts, KafkaPublisher publisher,
            IngressMetrics metrics, Executor blocking) {
        this.envelope = envelope;
        this.recipients = recipients;
        this.facts = facts;
        this.publisher = publisher;
        this.metrics = metrics;
        this.blocking = blocking;
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
        byte[] head = prefix.toString().getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[head.length + raw.length];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(raw, 0, message, head.length, raw.length);

        var params = envelope.mailParameters();
        QueuedMessage queued = new QueuedMessage(queueId, envelope.sender().mailbox().map(Object::toString).orElse(""),
                recipients, 0, null, now, null, facts.clientAddress(), envelope.heloName(),
                envelope.tls() == null ? null : envelope.tls().protocol() + " " + envelope.tls().cipherSuite(),
                envelope.authIdentity(), params.envId(), params.ret() == null ? null : params.ret().name(),
                params.body() == null ? null : params.body().name(), params.smtpUtf8(), message);
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
