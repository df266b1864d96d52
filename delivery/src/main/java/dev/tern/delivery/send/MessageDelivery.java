package dev.tern.delivery.send;

import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.journal.DeliveryJournal;
import dev.tern.common.logging.ThrottledWarning;
import dev.tern.common.policy.Feedback;
import dev.tern.common.policy.Policy;
import dev.tern.common.policy.PolicyHolder;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.suppression.SuppressionList;
import dev.tern.delivery.admin.OperatorControls;
import dev.tern.delivery.attempt.AttemptContext;
import dev.tern.delivery.attempt.RecipientResult;
import dev.tern.delivery.metrics.DeliveryMetrics;
import dev.tern.delivery.retry.Disposition;
import dev.tern.delivery.retry.OutcomePlanner;
import dev.tern.delivery.retry.OutcomeWriter;
import dev.tern.delivery.retry.RetryLadder;
import dev.tern.delivery.route.RoutePlan;
import dev.tern.delivery.route.Router;
import dev.tern.smtp.reply.Reply;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One attempt for one queued record, from envelope to durable outcome:
 * <ol>
 *   <li>recipients an operator's purge order covers are deleted ({@code PURGED} events, no DSN);
 *       a message the operator holds is deferred without an attempt (451 4.4.5);</li>
 *   <li>a message past {@code max-queue-lifetime} is expired without an attempt (4.4.7);</li>
 *   <li>recipients the journal knows as delivered are skipped (crash recovery, at most one duplicate);</li>
 *   <li>recipients on the suppression list fail permanently without a connection ({@link SuppressionCheck});</li>
 *   <li>the rest are grouped by recipient domain, each domain routed ({@link Router}), and domains
 *       that share a destination (one smarthost) and a policy entry share one transaction
 *       ({@link GroupSender}), so each entry's limits hold for its own mail — except with VERP
 *       on ({@link VerpSenders}), where each recipient has a transaction and a MAIL FROM of its own;
 *       recipients of a destination (or domain) the operator bounces fail with 550 5.7.1 and the
 *       order's reason; suspended destinations are deferred with 451 4.4.5 without a connection
 *       ({@link OperatorControls});</li>
 *   <li>the results become a {@link Disposition} ({@link OutcomePlanner}) written by
 *       {@link OutcomeWriter} on a dedicated thread (Kafka's send may block); a failed write is
 *       retried every second until it succeeds, because the record's offset must not move before
 *       its outcome is durable.</li>
 * </ol>
 * The returned future completes when the outcome is durable; it never completes exceptionally.
 * Threading: {@link #deliver} may be called from any thread; the work runs on the delivery context.
 */
public final class MessageDelivery {

    private static final Logger LOG = Logger.getLogger(MessageDelivery.class);
    /** One line a minute while the journal cannot be read (Infinispan down), not one per message. */
    private static final ThrottledWarning JOURNAL_READ = new ThrottledWarning(LOG, Duration.ofMinutes(1));
    private static final Duration WRITE_RETRY = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final Executor loop;
    private final Executor writerThread;
    private final PolicyHolder policy;
    private final Router router;
    private final GroupSender sender;
    private final DeliveryJournal journal;
    private final SuppressionCheck suppression;
    private final OutcomeWriter writer;
    private final OperatorControls controls;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private final Map<String, AtomicInteger> inFlightByDestination = new ConcurrentHashMap<>();

    public MessageDelivery(Vertx vertx, Executor loop, Executor writerThread, PolicyHolder policy, Router router,
            GroupSender sender, DeliveryJournal journal, SuppressionCheck suppression, OutcomeWriter writer,
            OperatorControls controls, DeliveryMetrics metrics, Clock clock) {
        this.vertx = vertx;
        this.loop = loop;
        this.writerThread = writerThread;
        this.policy = policy;
        this.router = router;
        this.sender = sender;
        this.journal = journal;
        this.suppression = suppression;
        this.writer = writer;
        this.controls = controls;
        this.metrics = metrics;
        this.clock = clock;
    }

    public CompletableFuture<Void> deliver(QueuedMessage m) {
        return CompletableFuture.supplyAsync(() -> attempt(m), loop).thenCompose(f -> f)
                .thenCompose(this::durably);
    }

    private CompletableFuture<Disposition> attempt(QueuedMessage queued) {
        Policy p = policy.current();
        long start = System.nanoTime();
        var purged = purged(queued, p);
        boolean allPurged = purged.size() == queued.recipients().size();
        QueuedMessage m = purged.isEmpty() || allPurged ? queued : queued.withRecipients(queued.recipients().stream()
                .filter(r -> purged.stream().noneMatch(x -> x.recipient() == r)).toList());
        CompletableFuture<List<RecipientResult>> results;
        if (allPurged) {
            results = CompletableFuture.completedFuture(List.of());
        } else if (!clock.instant().isBefore(m.schedule().firstReceived().plus(p.maxQueueLifetime()))) {
            results = CompletableFuture.completedFuture(notAttempted(m.recipients(),
                    Reply.of(451, "4.4.7", "Message expired in the queue")));
        } else if (controls.isHeld(m.id())) {
            results = CompletableFuture.completedFuture(notAttempted(m.recipients(),
                    Reply.of(451, "4.4.5", "Held by the operator")));
        } else {
            var suppressed = suppression.suppressed(m.recipients().stream().map(QueuedRecipient::address).toList());
            results = journaled(m).thenCombine(suppressed, (done, listed) -> send(m, p, done, listed, start))
                    .thenComposeAsync(f -> f, loop);
        }
        if (!purged.isEmpty()) {
            results = results.thenApply(r -> {
                var all = new ArrayList<>(purged);
                all.addAll(r);
                return all;
            });
        }
        return results.thenApply(r -> {
            var d = OutcomePlanner.plan(m, r, new RetryLadder(p.retry()), p.maxQueueLifetime(),
                    p.bounceClassifier(), clock.instant());
            count(r, d, Duration.ofNanos(System.nanoTime() - start));
            d.events().forEach(MessageDelivery::log);
            return d;
        });
    }

    /** The recipients an operator's purge order deletes (docs/ARCHITECTURE.md, "Queue actions"). */
    private List<RecipientResult> purged(QueuedMessage m, Policy p) {
        if (!controls.hasPurgeOrders()) {
            return List.of();
        }
        Instant now = clock.instant();
        var out = new ArrayList<RecipientResult>();
        for (QueuedRecipient r : m.recipients()) {
            String routed = Router.destinationName(r.domain(), p, controls);
            if (controls.purged(m, r, routed, now)) {
                out.add(RecipientResult.purged(r, AttemptContext.NONE.viaHost(r.lastMx(), null)));
            }
        }
        return out;
    }

    private CompletableFuture<Set<String>> journaled(QueuedMessage m) {
        // Asked even for first attempts: a record re-read after a crash looks exactly like a new one.
        List<String> addresses = m.recipients().stream().map(QueuedRecipient::address).toList();
        return journal.delivered(m.id(), addresses).toCompletableFuture().handle((set, error) -> {
            if (error != null) {
                JOURNAL_READ.warn("journal read for %s failed, delivering to all recipients: %s", m.id(), error);
                return Set.<String>of();
            }
            return set;
        });
    }

    private CompletableFuture<List<RecipientResult>> send(QueuedMessage m, Policy p, Set<String> done,
            Map<String, SuppressionList.Entry> suppressed, long start) {
        var out = new ArrayList<RecipientResult>();
        var byDomain = new LinkedHashMap<String, List<QueuedRecipient>>();
        for (QueuedRecipient r : m.recipients()) {
            SuppressionList.Entry listed = suppressed.get(SuppressionList.normalize(r.address()));
            if (done.contains(r.address())) {
                out.add(RecipientResult.alreadyDelivered(r));
            } else if (listed != null) {
                metrics.refused("suppressed");
                out.add(RecipientResult.failed(r, SuppressionCheck.reply(listed), AttemptContext.NONE, 0));
            } else {
                byDomain.computeIfAbsent(r.domain(), d -> new ArrayList<>()).add(r);
            }
        }
        var routed = new ArrayList<CompletableFuture<RoutePlan>>();
        var domains = new ArrayList<>(byDomain.keySet());
        for (String domain : domains) {
            routed.add(router.route(domain, p).toCompletableFuture());
        }
        return CompletableFuture.allOf(routed.toArray(CompletableFuture[]::new)).handleAsync((ignored, error) -> {
            // Domains with the same destination (one smarthost) and policy entry go in one transaction.
            var groups = new LinkedHashMap<String, RoutePlan>();
            var members = new LinkedHashMap<String, List<QueuedRecipient>>();
            for (int i = 0; i < domains.size(); i++) {
                List<QueuedRecipient> rcpts = byDomain.get(domains.get(i));
                RoutePlan plan;
                try {
                    plan = routed.get(i).join();
                } catch (RuntimeException e) {
                    LOG.warnf(e, "routing %s failed", domains.get(i));
                    out.addAll(notAttempted(rcpts, Reply.of(451, "4.4.3", "Routing failed: " + e)));
                    continue;
                }
                String key = plan.routable() ? plan.destination() + "\0" + plan.policy().name() : "\0" + domains.get(i);
                groups.putIfAbsent(key, plan);
                members.computeIfAbsent(key, k -> new ArrayList<>()).addAll(rcpts);
            }
            var sends = new ArrayList<CompletableFuture<List<RecipientResult>>>();
            Feedback feedback = p.feedback();
            groups.forEach((key, plan) -> {
                if (VerpSenders.applies(feedback, m)) {
                    // One transaction per recipient, each with its own bounce address as MAIL FROM.
                    for (QueuedRecipient r : members.get(key)) {
                        sends.add(sendGroup(plan, VerpSenders.forRecipient(feedback, m, r), List.of(r), start));
                    }
                } else {
                    sends.add(sendGroup(plan, m, members.get(key), start));
                }
            });
            return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).thenApply(v -> {
                sends.forEach(s -> out.addAll(s.join()));
                return (List<RecipientResult>) out;
            });
        }, loop).thenCompose(f -> f);
    }

    private CompletableFuture<List<RecipientResult>> sendGroup(RoutePlan plan, QueuedMessage m, List<QueuedRecipient> rcpts,
            long start) {
        if (!plan.routable()) {
            long latencyMs = (System.nanoTime() - start) / 1_000_000;
            return CompletableFuture.completedFuture(rcpts.stream().map(r -> RecipientResult.failed(r, plan.failure(),
                    AttemptContext.of(plan), latencyMs)).toList());
        }
        if (controls.hasBounceOrders()) {
            var bounced = bounceOrdered(plan, rcpts);
            if (!bounced.isEmpty()) {
                List<QueuedRecipient> rest = rcpts.stream().filter(r -> bounced.stream().noneMatch(b -> b.recipient() == r))
                        .toList();
                if (rest.isEmpty()) {
                    return CompletableFuture.completedFuture(bounced);
                }
                return sendGroup(plan, m, rest, start).thenApply(sent -> {
                    var all = new ArrayList<>(bounced);
                    all.addAll(sent);
                    return (List<RecipientResult>) all;
                });
            }
        }
        if (controls.isSuspended(plan.destination())) {
            Reply r = Reply.of(451, "4.4.5", "Delivery to " + plan.destination() + " suspended by the operator");
            return CompletableFuture.completedFuture(rcpts.stream().map(x -> RecipientResult.notAttempted(x, r,
                    AttemptContext.of(plan), 0)).toList());
        }
        AtomicInteger counter = inFlightByDestination.computeIfAbsent(plan.destination(), d -> new AtomicInteger());
        counter.incrementAndGet();
        return sender.send(plan, m, rcpts, start).whenComplete((r, e) -> counter.decrementAndGet());
    }

    /** The failures of the recipients an operator's bounce order covers (by destination or domain). */
    private List<RecipientResult> bounceOrdered(RoutePlan plan, List<QueuedRecipient> rcpts) {
        Instant now = clock.instant();
        var out = new ArrayList<RecipientResult>();
        for (QueuedRecipient r : rcpts) {
            var order = controls.bounceFor(plan.destination(), now).or(() -> controls.bounceFor(r.domain(), now));
            if (order.isPresent()) {
                metrics.refused("operator");
                out.add(RecipientResult.failed(r, Reply.of(550, "5.7.1", "Bounced by the operator"
                        + (order.get().reason().isBlank() ? "" : ": " + order.get().reason())), AttemptContext.of(plan),
                        0));
            }
        }
        return out;
    }

    // Nothing new is known about where they would go: the host that replied last stays on record.
    private static List<RecipientResult> notAttempted(List<QueuedRecipient> rcpts, Reply reply) {
        return rcpts.stream().map(r -> RecipientResult.notAttempted(r, reply,
                AttemptContext.NONE.viaHost(r.lastMx(), null), 0)).toList();
    }

    private void count(List<RecipientResult> results, Disposition d, Duration latency) {
        var classes = new HashSet<String>();
        for (int i = 0; i < results.size(); i++) {
            RecipientResult r = results.get(i);
            if (!r.attempted() && d.events().get(i).outcome() != DeliveryEvent.Outcome.EXPIRED) {
                continue;
            }
            String cls = r.destinationClass() == null ? "none" : r.destinationClass();
            classes.add(cls);
            DeliveryEvent e = d.events().get(i);
            metrics.attempt(label(e.outcome()), cls);
            if (e.category() != null) {
                metrics.failure(e.category(), label(e.outcome()));
            }
        }
        if (!classes.isEmpty()) {
            metrics.attemptLatency(latency);
        }
    }

    /** One line per recipient and attempt, in the shape Postfix operators grep for. */
    private static void log(DeliveryEvent e) {
        LOG.infof("%s: to=<%s>, relay=%s[%s], attempt=%d, delay=%dms, tls=%s, status=%s (%d %s)%s", e.messageId(),
                e.recipient(), e.mxHost() == null ? "none" : e.mxHost(), e.mxIp() == null ? "" : e.mxIp(),
                e.attempt(), e.latencyMs(), e.tls() == null ? "no" : e.tls(),
                e.outcome().name().toLowerCase(Locale.ROOT), e.replyCode(), e.replyText(),
                e.category() == null ? "" : ", category=" + e.category());
    }

    private static String label(DeliveryEvent.Outcome o) {
        return o == DeliveryEvent.Outcome.DROPPED ? "bounced" : o.name().toLowerCase(Locale.ROOT);
    }

    private CompletableFuture<Void> durably(Disposition d) {
        var done = new CompletableFuture<Void>();
        write(d, done);
        return done;
    }

    // KafkaProducer.send() blocks while metadata is missing or its buffer is full: never on the loop.
    private void write(Disposition d, CompletableFuture<Void> done) {
        CompletableFuture.supplyAsync(() -> writer.write(d), writerThread).thenCompose(f -> f)
                .whenComplete((v, error) -> {
            if (error == null) {
                done.complete(null);
                return;
            }
            LOG.warnf("writing the outcome of %s failed, retrying: %s", d.events().isEmpty() ? "?"
                    : d.events().get(0).messageId(), error.toString());
            vertx.setTimer(WRITE_RETRY.toMillis(), id -> write(d, done));
                });
    }

    /** Records being delivered per destination on this pod (admin view). */
    public Map<String, Integer> inFlightByDestination() {
        var out = new LinkedHashMap<String, Integer>();
        inFlightByDestination.forEach((k, v) -> {
            if (v.get() > 0) {
                out.put(k, v.get());
            }
        });
        return out;
    }
}
