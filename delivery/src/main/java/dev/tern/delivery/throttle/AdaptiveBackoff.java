package dev.tern.delivery.throttle;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.Rate;
import dev.tern.common.shaping.Backoff;
import dev.tern.common.shaping.Backoff.Suspension;
import dev.tern.delivery.metrics.ShapingMetrics;
import dev.tern.smtp.reply.Reply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Adaptive backoff per shaping key (issue 6): decides which remote replies pause a destination,
 * records the pause in the shared {@link Backoff} so that every pod pauses it, and answers "is this
 * key paused, and at what rate may it run" without a remote call on the send path.
 *
 * <p><b>What pauses a key</b> for the policy's {@code backoff}: a {@code 421} (RFC 5321 §3.8, the
 * server is closing the channel, typically "too many connections"); a 4xx reply with an RFC 3463
 * {@code 4.7.x} status whose text speaks of rates ("rate", "try (again) later", "too many", "slow
 * down"); or {@code failureThreshold} connection failures in a row (refused, timed out, greeting
 * failure), reset by any positive reply. After the pause, the rate ramps from
 * {@link Suspension#RAMP_START} to the configured rate over {@code ramp}.
 *
 * <p><b>Cache.</b> Each key's latest suspension is cached and refreshed from the backend in the
 * background at most every {@code refresh}, so other pods' suspensions are seen within that time.
 * A suspension made here applies here at once.
 *
 * <p>Thread-safe; never blocks. A backend failure keeps the cached state (the {@code Fallback}
 * backoff answers locally while Infinispan is down).
 */
public final class AdaptiveBackoff {

    private static final Logger LOG = Logger.getLogger(AdaptiveBackoff.class);
    private static final Pattern RATE_TEXT = Pattern.compile("rate|try (again )?later|too many|slow down",
            Pattern.CASE_INSENSITIVE);

    private final Backoff backoff;
    private final Duration ramp;
    private final int failureThreshold;
    private final Duration refresh;
    private final Clock clock;
    private final ShapingMetrics metrics;
    private final Map<ShapingKey, Entry> entries = new ConcurrentHashMap<>();
    private final Map<ShapingKey, Integer> failures = new ConcurrentHashMap<>();
    private final Map<ShapingKey, String> classes = new ConcurrentHashMap<>();

    private static final class Entry {
        volatile Suspension suspension;
        volatile Instant fetchedAt = Instant.EPOCH;
        final AtomicBoolean fetching = new AtomicBoolean();
    }

    public AdaptiveBackoff(Backoff backoff, Duration ramp, int failureThreshold, Duration refresh, Clock clock,
            ShapingMetrics metrics) {
        this.backoff = backoff;
        this.ramp = ramp;
        this.failureThreshold = failureThreshold;
        this.refresh = refresh;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Whether {@code reply} asks the client to slow down (see the class comment). */
    public static boolean pausesDestination(Reply reply) {
        if (reply.code() == 421) {
            return true;
        }
        return reply.isTransientFailure() && reply.status() != null && reply.status().toString().startsWith("4.7.")
                && RATE_TEXT.matcher(reply.text()).find();
    }

    public void replied(ShapingKey key, String destinationClass, DestinationPolicy policy, Reply reply) {
        if (pausesDestination(reply)) {
            suspend(key, destinationClass, policy.backoff(), reply.toString());
        } else if (reply.isPositive()) {
            failures.remove(key);
        }
    }

    public void connectFailed(ShapingKey key, String destinationClass, DestinationPolicy policy, Reply reply) {
        if (pausesDestination(reply)) {
            suspend(key, destinationClass, policy.backoff(), reply.toString());
            return;
        }
        int n = failures.merge(key, 1, Integer::sum);
        if (n >= failureThreshold) {
            failures.remove(key);
            suspend(key, destinationClass, policy.backoff(), n + " connection failures in a row, last: " + reply);
        }
    }

    /** Pauses {@code key} here at once and, through the backend, on every pod. */
    public void suspend(ShapingKey key, String destinationClass, Duration duration, String reason) {
        remember(key, destinationClass);
        Entry e = entry(key);
        Suspension s = new Suspension(clock.instant().plus(duration), reason);
        Suspension old = e.suspension;
        if (old == null || old.until().isBefore(s.until())) {
            e.suspension = s;
        }
        LOG.infof("destination %s backs off cluster-wide for %s: %s", key, duration, reason);
        backoff.suspend(key.toString(), duration, reason).whenComplete((v, error) -> {
            if (error != null) {
                LOG.warnf("recording the backoff of %s failed (other pods will not see it): %s", key, error);
            }
        });
    }

    /** How much longer {@code key} is paused; zero when it is not. */
    public Duration suspendedFor(ShapingKey key) {
        Suspension s = current(key);
        Instant now = clock.instant();
        return s == null || !now.isBefore(s.until()) ? Duration.ZERO : Duration.between(now, s.until());
    }

    /** {@code configured} scaled down while ramping after a pause; empty while paused. */
    public Optional<Rate> effectiveRate(ShapingKey key, Rate configured) {
        Suspension s = current(key);
        return s == null ? Optional.of(configured) : s.rampedRate(configured, clock.instant(), ramp);
    }

    /** Ties {@code key} to its metric label, so its pauses show on that class's gauge. */
    public void remember(ShapingKey key, String destinationClass) {
        if (destinationClass != null && classes.putIfAbsent(key, destinationClass) == null) {
            metrics.backoffClass(destinationClass, () -> anySuspended(destinationClass));
        }
    }

    private boolean anySuspended(String destinationClass) {
        Instant now = clock.instant();
        for (var e : classes.entrySet()) {
            Entry entry = entries.get(e.getKey());
            Suspension s = entry == null ? null : entry.suspension;
            if (e.getValue().equals(destinationClass) && s != null && now.isBefore(s.until())) {
                return true;
            }
        }
        return false;
    }

    private Entry entry(ShapingKey key) {
        return entries.computeIfAbsent(key, k -> new Entry());
    }

    private Suspension current(ShapingKey key) {
        Entry e = entry(key);
        Instant now = clock.instant();
        if (now.isAfter(e.fetchedAt.plus(refresh)) && e.fetching.compareAndSet(false, true)) {
            backoff.lookup(key.toString()).whenComplete((found, error) -> {
                if (error == null) {
                    found.ifPresent(s -> {
                        Suspension old = e.suspension;
                        if (old == null || old.until().isBefore(s.until())) {
                            e.suspension = s;
                        }
                    });
                }
                e.fetchedAt = clock.instant();
                e.fetching.set(false);
            });
        }
        return e.suspension;
    }
}
