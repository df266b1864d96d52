package dev.tern.ingress.trust.greylist;

import dev.tern.common.policy.Checks;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * <p>The policy is passed per call since policies are reloaded at run time. Thread-safe and
 * non-blocking; never fails.
 */
public final class Greylist {

    private static final Logger LOG = Logger.getLogger(Greylist.class);

    /** Conditional writes lost to other pods before this call settles for the last decision. */
    static final int MAX_ATTEMPTS = 3;

    private final GreylistStore store;
    private final Clock clock;
    private final Duration callTimeout;
    private final LongAdder storeFailures = new LongAdder();
    private final AtomicBoolean storeDown = new AtomicBoolean();

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
                return CompletableFuture.completedFuture(step.verdict());
            }
            CompletionStage<Boolean> written = stored.isEmpty()
                    ? store.create(key, step.write(), step.lifespan())
                    : store.replace(key, stored.get().version(), step.write(), step.lifespan());
            return written.thenCompose(won -> {
                if (won || !step.required() || attempt >= MAX_ATTEMPTS) {
                    // Out of attempts, other pods are writing this triplet this very moment; their
                    // writes follow the same rules, so our last decision is theirs too.
                    return CompletableFuture.completedFuture(step.verdict());
                }
                return attempt(key, policy, attempt + 1);
            });
        });
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
