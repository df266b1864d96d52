package dev.tern.ingress.trust.recipients;

import dev.tern.common.policy.Policy;
import dev.tern.common.policy.Relay;
import dev.tern.common.policy.Transport;
import dev.tern.ingress.trust.recipients.RecipientCheck.Outcome;
import dev.tern.smtp.address.Mailbox;
import dev.tern.smtp.reply.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Recipient validation at RCPT time for the local domains (the {@code relay.recipients} and
 * {@code relay.recipient-callout} policy keys): refuses unknown recipients with 550 5.1.1 before
 * the message is queued, so an unknown address never costs a queue entry or a bounce
 * (backscatter). Runs after relay control has accepted the recipient.
 *
 * <p>Order: a recipient outside the local domains, or an address literal, is not ours to judge
 * and is accepted. {@code postmaster@} a local domain is always accepted (RFC 5321 §4.5.1 requires
 * it). Then the recipients file, when configured: not listed is unknown, at once, without asking
 * anyone. Then the callout, when enabled, for recipients the file listed (a {@code @domain}
 * catch-all in the file plus a callout thus means "let the mailbox server decide"): the shared
 * {@link CalloutCache} first, the server on a miss (joining a callout for the same address already
 * in flight on this pod), the verdict stored for the next RCPT on any pod.
 * Either check alone works; with both, both must pass.
 *
 * <p>The cache is an optimisation, never a dependency: a failed or slow cache request counts as a
 * miss ({@link #cacheFailures()}) and the server is asked. A callout that cannot decide gives the
 * client a 4xx and is not cached, so the sender's MTA retries and asks again.
 *
 * <p>Thread-safe. The stages complete on the callout executor or a Hot Rod thread: a caller on an
 * event loop must hop back to its own context before touching the session. Never completes
 * exceptionally.
 */
public final class RecipientValidator {

    private static final Logger LOG = Logger.getLogger(RecipientValidator.class);

    private final RecipientsFileWatcher files;
    private final RecipientCallout callout;
    private final CalloutCache cache;
    private final Map<String, CompletableFuture<CalloutResult>> inFlight = new ConcurrentHashMap<>();
    private final LongAdder cacheFailures = new LongAdder();
    private final LongAdder joinedCallouts = new LongAdder();

    public RecipientValidator(RecipientsFileWatcher files, RecipientCallout callout, CalloutCache cache) {
        this.files = files;
        this.callout = callout;
        this.cache = cache;
    }

    /** Null to accept {@code recipient}, else the refusal to send. */
    public CompletionStage<Reply> check(Mailbox recipient, Policy policy) {
        return verify(recipient, policy).thenApply(RecipientCheck::refusal);
    }

    /** The full result, with the outcome and detail a caller counts and logs. */
    public CompletionStage<RecipientCheck> verify(Mailbox recipient, Policy policy) {
        Relay relay = policy.relay();
        if (recipient.isAddressLiteral() || !relay.isLocalDomain(recipient.domain())) {
            return done(RecipientCheck.accept(Outcome.NOT_VALIDATED, "not a local domain"));
        }
        if (recipient.localPart().equalsIgnoreCase("postmaster")) {
            return done(RecipientCheck.accept(Outcome.POSTMASTER, "postmaster is always accepted"));
        }
        Relay.Callout settings = relay.recipientCallout();
        if (relay.recipientsFile() != null) {
            RecipientsFile list;
            try {
                list = files.current(relay.recipientsFile());
            } catch (RecipientsFileException e) {
                return done(new RecipientCheck(RecipientReplies.listUnavailable(recipient), Outcome.LIST_UNAVAILABLE,
                        false, e.getMessage()));
            }
            if (!list.lists(recipient)) {
                return done(new RecipientCheck(RecipientReplies.userUnknown(recipient), Outcome.NOT_LISTED, false,
                        "not in " + relay.recipientsFile()));
            }
            if (!settings.enabled()) {
                return done(RecipientCheck.accept(Outcome.LISTED, "in " + relay.recipientsFile()));
            }
        }
        if (!settings.enabled()) {
            return done(RecipientCheck.accept(Outcome.NOT_VALIDATED, "no recipient validation configured"));
        }
        return callOut(recipient, policy.transportFor(recipient.domain()), settings);
    }

    private CompletionStage<RecipientCheck> callOut(Mailbox recipient, Transport server, Relay.Callout settings) {
        if (server.kind() == Transport.Kind.MX) {
            // Nothing to ask and nothing worth caching: skip the cache round trip too.
            return done(RecipientCheck.accept(Outcome.CALLOUT_NOT_CHECKED, "routed by MX, no server of ours to ask"));
        }
        return cached(recipient, server).thenCompose(hit -> {
            if (hit.isPresent()) {
                CalloutVerdict v = hit.get();
                return done(new RecipientCheck(RecipientReplies.forCallout(v, recipient), Outcome.of(v), true,
                        "cached verdict of " + server));
            }
            return askOnce(recipient, server, settings.timeout()).thenCompose(result -> {
                CalloutVerdict v = result.verdict();
                LOG.debugf("recipient callout for %s: %s (%s)", recipient, v, result.detail());
                var check = new RecipientCheck(RecipientReplies.forCallout(v, recipient), Outcome.of(v), false,
                        result.detail());
                if (!v.cacheable()) {
                    return done(check);
                }
                // Waited for (bounded by the cache's own timeout) so that once a RCPT is answered, every
                // pod's next RCPT for the same address finds the verdict.
                return store(recipient, server, v, v == CalloutVerdict.VALID ? settings.cache() : settings.negativeCache())
                        .thenApply(ignored -> check);
            });
        });
    }

    /**
     * Calls out, or joins the callout already in flight for the same address and server: a burst of
     * mail for one recipient arriving before the first verdict is cached costs one connection to the
     * mailbox server, not one per RCPT.
     */
    private CompletionStage<CalloutResult> askOnce(Mailbox recipient, Transport server, Duration timeout) {
        String key = CalloutCache.key(recipient, server);
        CompletableFuture<CalloutResult> mine = new CompletableFuture<>();
        CompletableFuture<CalloutResult> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            joinedCallouts.increment();
            return running;
        }
        try {
            callout.verify(recipient, server, timeout).whenComplete((result, error) -> {
                inFlight.remove(key, mine);
                if (error != null) {
                    mine.completeExceptionally(error);
                } else {
                    mine.complete(result);
                }
            });
        } catch (RuntimeException | Error e) {
            // Never leave the key in flight: every later RCPT for it would wait for ever.
            inFlight.remove(key, mine);
            mine.completeExceptionally(e);
        }
        return mine;
    }

    private CompletionStage<Optional<CalloutVerdict>> cached(Mailbox recipient, Transport server) {
        CompletionStage<Optional<CalloutVerdict>> lookup;
        try {
            lookup = cache.get(recipient, server);
        } catch (RuntimeException e) {
            lookup = CompletableFuture.failedFuture(e);
        }
        return lookup.handle((hit, error) -> {
            if (error != null) {
                cacheFailed("read", error);
                return Optional.empty();
            }
            return hit;
        });
    }

    private CompletionStage<Void> store(Mailbox recipient, Transport server, CalloutVerdict verdict,
            Duration lifespan) {
        CompletionStage<Void> put;
        try {
            put = cache.put(recipient, server, verdict, lifespan);
        } catch (RuntimeException e) {
            put = CompletableFuture.failedFuture(e);
        }
        return put.handle((ok, error) -> {
            if (error != null) {
                cacheFailed("write", error);
            }
            return null;
        });
    }

    private void cacheFailed(String what, Throwable error) {
        cacheFailures.increment();
        LOG.debugf("recipient callout cache %s failed, calling out without it: %s", what, error);
    }

    /** Cache requests that failed or timed out and were treated as misses, for a metric. */
    public long cacheFailures() {
        return cacheFailures.sum();
    }

    /** Checks that joined a callout already in flight instead of calling out, for a metric. */
    public long joinedCallouts() {
        return joinedCallouts.sum();
    }

    private static CompletionStage<RecipientCheck> done(RecipientCheck check) {
        return CompletableFuture.completedFuture(check);
    }
}
