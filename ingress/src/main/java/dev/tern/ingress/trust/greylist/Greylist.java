package dev.tern.ingress.trust.greylist;

import dev.tern.common.policy.Checks;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Greylisting of one (client, sender, recipient) at RCPT TO: whitelists first, then the triplet's
 * state in the shared {@link GreylistStore}, decided by {@link GreylistRules} with the time of
 * {@code clock}.
 *
 * <p><b>When the store fails or is slower than {@code callTimeout}, the mail passes</b> (outcome
 * {@link GreylistVerdict.Outcome#STORE_UNAVAILABLE}). Greylisting is a filter that delays
 * legitimate mail at best; deferring because our own store is down would refuse all inbound mail
 * for the length of an internal outage, and as no triplet could be recorded the senders' retries
 * would be deferred as well, pushing their next attempts back by hours. Letting spam past the
 * greylist for a while is the smaller harm; the other checks still run. (docs/ARCHITECTURE.md,
 * "Durability rules": shared state being unreachable must not stop mail.)
 *
 * <p>A triplet this pod saw pass is remembered locally with the time the store confirmed it, and
 * passes without a store read until that time is as old as the store's own refresh threshold
 * ({@link GreylistRules#REFRESH_FRACTION}): up to then the store's answer could only be "passed,
 * nothing to write", since a passed triplet expires only after its whole lifetime. A sender that
 * writes to the same recipient all day then costs one store read per refresh, not one per
 * message.
 *
 * <p>The policy is passed per call since policies are reloaded at run time. Thread-safe and
 * non-blocking; never fails.
 */
public final class Greylist {

    private static final Logger LOG = Logger.getLogger(Greylist.class);

    /** Conditional writes lost to other pods before this call settles for the last decision. */
    static final int MAX_ATTEMPTS = 3;
    /** Bound of the local memory of passed triplets; it is forgotten whole when full. */
    static final int MAX_REMEMBERED = 100_000;

    private final GreylistStore store;
    private final Clock clock;
    private final Duration callTimeout;
    private final LongAdder storeFailures = new LongAdder();
    private final AtomicBoolean storeDown = new AtomicBoolean();
    /** Triplet key to when the store last confirmed its pass, epoch milliseconds. */
    private final Map<String, Long> passedSince = new ConcurrentHashMap<>();

    /** @param callTimeout how long one check may wait for the store before the mail passes */
    public Greylist(GreylistStore store, Clock clock, Duration callTimeout) {
        this.store = store;
        this.clock = clock;
        this.callTimeout = callTimeout;
    }

    public CompletionStage<GreylistVerdict> check(InetAddress client, String sender, String recipient,
            Checks.Greylisting policy) {
        if (!policy.enabled()) {
            return CompletableFuture.completedFuture(GreylistVerdict.pass(GreylistVerdict.Outcome.DISABLED));
        }
        if (GreylistWhitelist.exempts(policy, client, sender, recipient)) {
            return CompletableFuture.completedFuture(GreylistVerdict.pass(GreylistVerdict.Outcome.WHITELISTED));
        }
        String key = Triplet.of(client, sender, recipient).key();
        if (recentlyPassed(key, policy)) {
            return CompletableFuture.completedFuture(GreylistVerdict.pass(GreylistVerdict.Outcome.KNOWN));
        }
        CompletableFuture<GreylistVerdict> decided;
        try {
            decided = attempt(key, policy, 1).toCompletableFuture();
        } catch (RuntimeException e) {
            decided = CompletableFuture.failedFuture(e);
        }
        return decided.orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS).handle((verdict, error) -> {
            if (error != null) {
                return storeFailed(error);
            }
            if (storeDown.compareAndSet(true, false)) {
                LOG.info("Greylist store reachable again; greylisting resumes");
            }
            return verdict;
        });
    }

    private CompletionStage<GreylistVerdict> attempt(String key, Checks.Greylisting policy, int attempt) {
        return store.read(key).thenCompose(stored -> {
            GreylistRules.Step step = GreylistRules.next(stored.map(GreylistStore.Stored::state), clock.instant(),
                    policy);
            if (step.write() == null) {
                if (step.verdict().outcome() == GreylistVerdict.Outcome.KNOWN) {
                    remember(key, stored.get().state().since());
                }
                return CompletableFuture.completedFuture(step.verdict());
            }
            CompletionStage<Boolean> written = stored.isEmpty()
                    ? store.create(key, step.write(), step.lifespan())
                    : store.replace(key, stored.get().version(), step.write(), step.lifespan());
            return written.thenCompose(won -> {
                if (won && step.write().phase() == TripletState.Phase.PASSED) {
                    remember(key, step.write().since());
                }
                if (won || !step.required() || attempt >= MAX_ATTEMPTS) {
                    // Out of attempts, other pods are writing this triplet this very moment; their
                    // writes follow the same rules, so our last decision is theirs too.
                    return CompletableFuture.completedFuture(step.verdict());
                }
                return attempt(key, policy, attempt + 1);
            });
        });
    }

    /** Whether {@code key} passed here so recently that the store would answer "passed" without a write. */
    private boolean recentlyPassed(String key, Checks.Greylisting policy) {
        Long since = passedSince.get(key);
        // Milliseconds, not Duration arithmetic: Duration.dividedBy goes through BigDecimal, per RCPT.
        return since != null
                && clock.millis() - since < policy.passLifetime().toMillis() / GreylistRules.REFRESH_FRACTION;
    }

    private void remember(String key, Instant confirmed) {
        if (passedSince.size() >= MAX_REMEMBERED) {
            passedSince.clear();
        }
        passedSince.put(key, confirmed.toEpochMilli());
    }

    private GreylistVerdict storeFailed(Throwable error) {
        storeFailures.increment();
        if (storeDown.compareAndSet(false, true)) {
            LOG.warnf("Greylist store unreachable (%s); mail passes greylisting until it answers again",
                    error.toString());
        }
        return GreylistVerdict.pass(GreylistVerdict.Outcome.STORE_UNAVAILABLE);
    }

    /** Checks passed because the store failed or timed out, for a counter metric. */
    public long storeFailures() {
        return storeFailures.sum();
    }
}
