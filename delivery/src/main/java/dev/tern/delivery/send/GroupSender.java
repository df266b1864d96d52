package dev.tern.delivery.send;

import dev.tern.common.journal.DeliveryJournal;
import dev.tern.common.logging.ThrottledWarning;
import dev.tern.common.policy.EgressSource;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.delivery.attempt.AttemptContext;
import dev.tern.delivery.attempt.RecipientResult;
import dev.tern.delivery.client.ConnectFailure;
import dev.tern.delivery.client.ConnectionPool;
import dev.tern.delivery.client.EgressChoice;
import dev.tern.delivery.metrics.DeliveryMetrics;
import dev.tern.delivery.route.NextHop;
import dev.tern.delivery.route.RoutePlan;
import dev.tern.delivery.throttle.AdaptiveBackoff;
import dev.tern.delivery.throttle.DestinationGate;
import dev.tern.delivery.throttle.ShapingKey;
import dev.tern.delivery.throttle.ShapingKeys;
import dev.tern.delivery.throttle.ThrottleQueue;
import dev.tern.common.policy.Transport;
import dev.tern.smtp.client.ClientCredentials;
import dev.tern.smtp.client.HandshakeConfig;
import dev.tern.smtp.client.Phase;
import dev.tern.smtp.client.RecipientOutcome;
import dev.tern.smtp.client.TlsPolicy;
import dev.tern.smtp.client.TransactionOutcome;
import dev.tern.smtp.reply.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Sends one message to the recipients that share a {@link RoutePlan}, over one transaction.
 *
 * <p>Hops are tried in order: a connection that cannot be opened or brought to the ready state
 * (refused, greeting 4xx/5xx, TLS required but missing) moves on to the next hop (RFC 5321 §5.1);
 * when every hop fails, the last hop's reply decides every recipient. A pooled connection that
 * turns out to be dead (the peer closed it while idle) is retried once on a fresh connection to
 * the same hop. Limits are kept per shaping key ({@link ShapingKeys}: the destination, or its MX
 * rollup). A key that backs off is not connected to; before sending, a rate token is awaited in
 * the {@link ThrottleQueue}; a backoff, a full queue or a wait longer than {@code maxThrottleWait}
 * defers the recipients (451 4.7.0) without counting an attempt. Remote replies and connection
 * failures are reported to the {@link DestinationGate}, which backs the key off on 421 / 4.7.x
 * "rate" replies and runs of connection failures, and on any failure an operator's
 * {@code bounce-rules} entry marks {@code action: backoff} (docs/ARCHITECTURE.md, "Bounce classification").
 *
 * <p>A route with a user (docs/ARCHITECTURE.md, "Authenticated smarthost") authenticates each new
 * connection once, after STARTTLS; such a connection is pooled apart from others by its
 * credentials, never retried in plain text, and a rejected credential is counted
 * ({@link DeliveryMetrics#smarthostAuthFailed}) and defers the mail with the smarthost's reply.
 *
 * <p>Durability: recipients accepted with a 2xx are written to the {@link DeliveryJournal} right
 * after the reply and before the result is returned, so a crash before the Kafka offset commit
 * repeats them at most once. A journal failure is logged and delivery carries on.
 *
 * <p>Threading: call on the delivery context ({@code loop}); every continuation hops back to it.
 */
public final class GroupSender {

    private static final Logger LOG = Logger.getLogger(GroupSender.class);
    /** One line a minute while the journal cannot be written (Infinispan down), not one per message. */
    private static final ThrottledWarning JOURNAL_WRITE = new ThrottledWarning(LOG, Duration.ofMinutes(1));

    private final Executor loop;
    private final ConnectionPool pool;
    private final DestinationGate gate;
    private final ThrottleQueue throttle;
    private final DeliveryJournal journal;
    private final String heloName;
    private final Duration maxThrottleWait;
    private final DeliveryMetrics metrics;
    private final Predicate<Reply> ruleBacksOff;

    /** @param ruleBacksOff whether the live policy's bounce rules say a failure reply backs its destination off */
    public GroupSender(Executor loop, ConnectionPool pool, DestinationGate gate, ThrottleQueue throttle,
            DeliveryJournal journal, String heloName, Duration maxThrottleWait, DeliveryMetrics metrics,
            Predicate<Reply> ruleBacksOff) {
        this.loop = loop;
        this.pool = pool;
        this.gate = gate;
        this.throttle = throttle;
        this.journal = journal;
        this.heloName = heloName;
        this.maxThrottleWait = maxThrottleWait;
        this.metrics = metrics;
        this.ruleBacksOff = ruleBacksOff;
    }

    /** Delivers {@code m} to {@code recipients} (all routed by {@code plan}); never completes exceptionally. */
    public CompletableFuture<List<RecipientResult>> send(RoutePlan plan, QueuedMessage m, List<QueuedRecipient> recipients,
            long startNanos) {
        var attempt = new Attempt(plan, m, recipients, startNanos);
        return attempt.tryHop(0, null, null).thenCompose(attempt::journal);
    }

    private final class Attempt {
        final RoutePlan plan;
        final QueuedMessage message;
        final List<QueuedRecipient> recipients;
        final long start;
        final HandshakeConfig handshake;

        Attempt(RoutePlan plan, QueuedMessage message, List<QueuedRecipient> recipients, long start) {
            this(plan, message, recipients, start, handshake(plan));
        }

        Attempt(RoutePlan plan, QueuedMessage message, List<QueuedRecipient> recipients, long start,
                HandshakeConfig handshake) {
            this.plan = plan;
            this.message = message;
            this.recipients = recipients;
            this.start = start;
            this.handshake = handshake;
        }

        CompletableFuture<List<RecipientResult>> tryHop(int index, Reply lastFailure, NextHop lastHop) {
            if (index >= plan.hops().size()) {
                Reply r = lastFailure != null ? lastFailure : Reply.of(451, "4.4.0", "No server to try");
                return CompletableFuture.completedFuture(all(r, lastHop, null));
            }
            NextHop hop = plan.hops().get(index);
            ShapingKey shaping = ShapingKeys.of(plan, hop.host());
            Duration pause = gate.suspendedFor(shaping);
            if (!pause.isZero()) {
                if (lastFailure != null) {
                    // Earlier hops were tried (and their failures may have started this backoff).
                    return CompletableFuture.completedFuture(all(lastFailure, lastHop, null));
                }
                return CompletableFuture.completedFuture(notTried(Reply.of(451, "4.7.0", "Throttled: "
                        + plan.destination() + " backs off for " + Math.max(1, pause.toSeconds()) + "s"), hop, null));
            }
            var key = new ConnectionPool.Key(plan.destination(), shaping, hop, handshake, null);
            return pool.acquire(key, plan.policy())
                    .thenComposeAsync(lease -> throttled(lease, true), loop)
                    .exceptionallyComposeAsync(error -> {
                        Throwable cause = unwrap(error);
                        if (cause instanceof ConnectFailure f) {
                            return connectFailed(f, index, hop, shaping);
                        }
                        LOG.warnf(cause, "unexpected failure delivering %s via %s", message.id(), hop);
                        return CompletableFuture.completedFuture(all(Reply.of(451, "4.3.0",
                                "Local error: " + cause), hop, null));
                    }, loop);
        }

        private CompletableFuture<List<RecipientResult>> connectFailed(ConnectFailure f, int index, NextHop hop,
                ShapingKey shaping) {
            switch (f.kind()) {
                case THROTTLED:
                    // Another hop of the same destination would not help; nothing was tried.
                    return CompletableFuture.completedFuture(notTried(f.reply(), hop, null));
                case AUTH_FAILED:
                    metrics.smarthostAuthFailed(plan.destinationClass());
                    break;
                case TLS_FAILED:
                    // Credentials never go in plain text, so an authenticating route has no such fallback.
                    if (handshake.tlsPolicy() == TlsPolicy.OPPORTUNISTIC && !handshake.authenticates()) {
                        // Postfix "may": a failed handshake is retried in plain text, once.
                        LOG.debugf("%s: %s, retrying without TLS", hop, f.reply());
                        return plainText().tryHop(index, f.reply(), hop);
                    }
                    break;
                default:
                    break;
            }
            gate.connectFailed(shaping, plan.destinationClass(), plan.policy(), f.reply());
            backOffByRule(shaping, f.reply());
            LOG.debugf("%s: %s (%s), trying next hop", hop, f.reply(), f.kind());
            return tryHop(index + 1, f.reply(), hop);
        }

        private Attempt plainText() {
            return new Attempt(plan, message, recipients, start, handshake.lmtp()
                    ? HandshakeConfig.lmtp(heloName, TlsPolicy.NONE) : HandshakeConfig.smtp(heloName, TlsPolicy.NONE));
        }

        // The egress address's own rate first (a warming-up address is usually the tighter limit),
        // then the destination's; a message deferred by the second wastes the first's token.
        private CompletableFuture<List<RecipientResult>> throttled(ConnectionPool.Lease lease, boolean mayReroute) {
            EgressSource source = EgressChoice.sourceOf(plan.policy(), lease.key().sourceIp());
            CompletableFuture<Boolean> bySource = source == null || source.rate() == null || lease.sourceToken()
                    ? CompletableFuture.completedFuture(true)
                    : throttle.reserve(ShapingKey.source(source.address()), ShapingKeys.limitsOf(source),
                            maxThrottleWait);
            return bySource.thenCompose(ok -> ok
                    ? throttle.reserve(lease.key().limitKey(plan.policy()), plan.policy(), maxThrottleWait)
                    : CompletableFuture.completedFuture(false)).thenCompose(granted -> {
                if (granted) {
                    return transact(lease, true);
                }
                pool.release(lease, plan.policy());
                ShapingKey limitKey = lease.key().limitKey(plan.policy());
                if (mayReroute && !limitKey.equals(lease.key().shaping()) && !gate.suspendedFor(limitKey).isZero()) {
                    // Per-source limits, and this address backed off while the message waited for
                    // its token: the pool's other addresses may still send it now, so ask once more
                    // (the pool passes over backed-off addresses).
                    return pool.acquire(lease.key().withSource(null), plan.policy())
                            .thenComposeAsync(again -> throttled(again, false), loop)
                            .exceptionallyCompose(e -> CompletableFuture.completedFuture(notTried(
                                    Reply.of(451, "4.7.0", "Throttled: " + plan.destination() + " from "
                                            + lease.key().sourceIp() + " backs off"), lease.key().hop(), null)));
                }
                return CompletableFuture.completedFuture(notTried(Reply.of(451, "4.7.0", "Throttled: rate of "
                        + plan.destination() + (source == null || source.rate() == null ? "" : " or of source "
                        + source.address()) + " exceeded"), lease.key().hop(), lease.connection().tls()));
            });
        }

        private CompletableFuture<List<RecipientResult>> transact(ConnectionPool.Lease lease, boolean mayRetry) {
            var c = lease.connection();
            return c.send(Envelopes.of(message, recipients), message.body()).thenComposeAsync(outcome -> {
                // Under the address's own key with per-source limits: a 421 then backs off that address alone.
                report(lease.key().limitKey(plan.policy()), outcome);
                pool.release(lease, plan.policy());
                if (mayRetry && lease.reused() && diedBeforeAnyReply(outcome)) {
                    // The peer closed the idle connection under us: nothing was said, try a fresh one.
                    return pool.acquire(lease.key(), plan.policy())
                            .thenComposeAsync(fresh -> transact(fresh, false), loop)
                            .exceptionallyCompose(e -> CompletableFuture.completedFuture(
                                    fromOutcome(outcome, lease.key().hop(), c.tls())));
                }
                return CompletableFuture.completedFuture(fromOutcome(outcome, lease.key().hop(), c.tls()));
            }, loop);
        }

        // Tells the gate what the server said: a 421 or a 4.7.x "rate" reply backs the key off.
        private void report(ShapingKey shaping, TransactionOutcome outcome) {
            var replies = new java.util.LinkedHashSet<Reply>();
            for (RecipientOutcome o : outcome.recipients()) {
                if (o.reply() != null && o.phase() != Phase.LOCAL) {
                    replies.add(o.reply());
                }
            }
            if (outcome.messageReply() != null) {
                replies.add(outcome.messageReply());
            }
            replies.forEach(r -> {
                gate.replied(shaping, plan.destinationClass(), plan.policy(), r);
                backOffByRule(shaping, r);
            });
        }

        // A reply that pauses the destination by itself (421, 4.7.x "rate") needs no rule to do so.
        private void backOffByRule(ShapingKey shaping, Reply r) {
            if (!r.isPositive() && !AdaptiveBackoff.pausesDestination(r) && ruleBacksOff.test(r)) {
                gate.backOff(shaping, plan.destinationClass(), plan.policy(), "bounce rule: " + r);
            }
        }

        private boolean diedBeforeAnyReply(TransactionOutcome outcome) {
            return outcome.recipients().stream().allMatch(r -> r.phase() == Phase.CONNECTION);
        }

        private List<RecipientResult> fromOutcome(TransactionOutcome outcome, NextHop hop, String tls) {
            var out = new ArrayList<RecipientResult>(recipients.size());
            AttemptContext where = where(hop, tls);
            long latency = latency();
            for (int i = 0; i < recipients.size(); i++) {
                RecipientOutcome o = outcome.recipients().get(i);
                out.add(o.delivered() ? RecipientResult.delivered(recipients.get(i), o.reply(), where, latency)
                        : RecipientResult.failed(recipients.get(i), o.reply(), where, latency));
            }
            return out;
        }

        private List<RecipientResult> all(Reply reply, NextHop hop, String tls) {
            return recipients.stream().map(r -> RecipientResult.failed(r, reply, where(hop, tls), latency())).toList();
        }

        // Throttled before sending: deferred without using up an attempt (docs/ARCHITECTURE.md, "Traffic shaping").
        private List<RecipientResult> notTried(Reply reply, NextHop hop, String tls) {
            return recipients.stream().map(r -> RecipientResult.notAttempted(r, reply, where(hop, tls), latency()))
                    .toList();
        }

        private AttemptContext where(NextHop hop, String tls) {
            AttemptContext where = AttemptContext.of(plan).withTls(tls);
            return hop == null ? where : where.viaHost(hop.host(), hop.address());
        }

        private long latency() {
            return (System.nanoTime() - start) / 1_000_000;
        }

        CompletableFuture<List<RecipientResult>> journal(List<RecipientResult> results) {
            List<String> delivered = results.stream().filter(RecipientResult::delivered)
                    .map(r -> r.recipient().address()).toList();
            if (delivered.isEmpty()) {
                return CompletableFuture.completedFuture(results);
            }
            return journal.recordDelivered(message.id(), delivered).toCompletableFuture()
                    .handleAsync((ok, error) -> {
                        if (error != null) {
                            JOURNAL_WRITE.warn("journal write for %s failed (a crash now may duplicate it): %s",
                                    message.id(), unwrap(error).toString());
                        }
                        return results;
                    }, loop);
        }
    }

    private HandshakeConfig handshake(RoutePlan plan) {
        TlsPolicy tls = switch (plan.policy().tls()) {
            case NONE -> TlsPolicy.NONE;
            case REQUIRED -> TlsPolicy.REQUIRED;
            case OPPORTUNISTIC -> TlsPolicy.OPPORTUNISTIC;
        };
        if (plan.lmtp()) {
            return HandshakeConfig.lmtp(heloName, tls);
        }
        Transport t = plan.transport();
        HandshakeConfig smtp = HandshakeConfig.smtp(heloName, tls);
        return t.authenticates() ? smtp.withCredentials(new ClientCredentials(t.user(), t.password().value())) : smtp;
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
