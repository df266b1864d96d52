package dev.tern.delivery.app;

import dev.tern.common.config.TernConfig;
import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.common.kafka.KafkaClientProperties;
import dev.tern.common.shaping.Backoff;
import dev.tern.common.shaping.ConnectionLeases;
import dev.tern.common.shaping.Fallback;
import dev.tern.common.shaping.FallbackBackoff;
import dev.tern.common.shaping.FallbackConnectionLeases;
import dev.tern.common.shaping.FallbackRateLimiter;
import dev.tern.common.shaping.InMemoryBackoff;
import dev.tern.common.shaping.InMemoryConnectionLeases;
import dev.tern.common.shaping.InMemoryRateLimiter;
import dev.tern.common.shaping.InfinispanBackoff;
import dev.tern.common.shaping.InfinispanConnectionLeases;
import dev.tern.common.shaping.InfinispanRateLimiter;
import dev.tern.common.shaping.RateLimiter;
import dev.tern.delivery.config.DeliveryConfig;
import dev.tern.delivery.metrics.ShapingMetrics;
import dev.tern.delivery.throttle.AdaptiveBackoff;
import dev.tern.delivery.throttle.LivePods;
import dev.tern.delivery.throttle.TrafficShaping;
import dev.tern.delivery.throttle.SharedDestinationGate;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.jboss.logging.Logger;

/**
 * Produces the delivery service's {@link TrafficShaping}: with {@code tern.delivery.shaping.enabled} (the
 * default) a {@link SharedDestinationGate} over the Infinispan rate limiter, leases and backoff,
 * each wrapped in its {@code Fallback*} decorator with one shared {@link Fallback} switch; with it
 * off, the same gate over in-memory backends, whose limits then hold per pod ({@link #local}).
 *
 * <p>The Infinispan parts are built on first use, not at start: a pod that starts while Infinispan
 * is down must construct its gate and deliver on the fallback. Ranges are checked here and fail
 * start-up naming the key (docs/ARCHITECTURE.md, "Configuration").
 */
@ApplicationScoped
public class ShapingProducer {

    private static final Logger LOG = Logger.getLogger(ShapingProducer.class);

    @Produces
    @Singleton
    TrafficShaping shaping(DeliveryConfig delivery, TernConfig tern, KafkaClientProperties kafkaProperties,
            InfinispanClient infinispan,
            MeterRegistry registry) {
        DeliveryConfig.Shaping config = delivery.shaping();
        validate(config);
        ScheduledExecutorService timer = daemon("tern-shaping");
        if (!config.enabled()) {
            LOG.info("traffic shaping per pod (tern.delivery.shaping.enabled=false)");
            var metrics = new ShapingMetrics(registry, () -> false);
            metrics.remoteCalls(() -> 0);
            SharedDestinationGate gate = local(config, timer, metrics);
            return new TrafficShaping(gate, metrics, () -> {
                gate.close();
                timer.shutdownNow();
            });
        }
        IntSupplier pods;
        AutoCloseable podCounter;
        if (config.livePods().isPresent()) {
            pods = LivePods.fixed(config.livePods().getAsInt());
            podCounter = () -> { };
        } else {
            // Its own thread: a slow Kafka must not delay lease renewals.
            ScheduledExecutorService counter = daemon("tern-shaping-pods");
            var live = new LivePods(tern.kafka().bootstrapServers(), kafkaProperties, delivery.groupId(), config.livePodsRefresh(),
                    counter);
            pods = live;
            podCounter = () -> {
                live.close();
                counter.shutdownNow();
            };
        }
        var fallback = new Fallback(pods, config.callTimeout(), config.probeInterval(), config.failuresToFallback(),
                Clock.systemUTC());
        var metrics = new ShapingMetrics(registry, fallback::degraded);
        SharedDestinationGate gate = build(config, infinispan::manager, fallback, timer, metrics, owner());
        return new TrafficShaping(gate, metrics, () -> {
            gate.close();
            podCounter.close();
            timer.shutdownNow();
        });
    }

    /**
     * The shared gate over {@code manager}'s Infinispan, switching to local limits through
     * {@code fallback}. Public for tests that point a second gate ("another pod") at the same, another
     * or a dead server.
     */
    public static SharedDestinationGate build(DeliveryConfig.Shaping config, Supplier<RemoteCacheManager> manager,
            Fallback fallback, ScheduledExecutorService timer, ShapingMetrics metrics, String owner) {
        Clock clock = Clock.systemUTC();
        var sharedRates = new Lazy<>(() -> new InfinispanRateLimiter(manager.get(), config.ratesCache(),
                config.burstWindow(), clock));
        var sharedLeases = new Lazy<>(() -> new InfinispanConnectionLeases(manager.get(), config.leasesCache(), owner));
        var sharedBackoff = new Lazy<>(() -> new InfinispanBackoff(manager.get(), config.backoffCache(),
                config.backoffRetention(), clock));
        metrics.remoteCalls(() -> sharedRates.ifBuilt(InfinispanRateLimiter::remoteCalls)
                + sharedLeases.ifBuilt(InfinispanConnectionLeases::remoteCalls)
                + sharedBackoff.ifBuilt(InfinispanBackoff::remoteCalls));
        RateLimiter rates = new FallbackRateLimiter((key, rate, wanted) -> sharedRates.get().acquire(key, rate, wanted),
                new InMemoryRateLimiter(config.burstWindow(), clock), fallback);
        ConnectionLeases leases = new FallbackConnectionLeases(new ConnectionLeases() {
            @Override
            public CompletionStage<Optional<Lease>> tryAcquire(String key, int max, Duration ttl, java.util.OptionalInt starved) {
                return sharedLeases.get().tryAcquire(key, max, ttl, starved);
            }

            @Override
            public CompletionStage<Map<String, Demand>> demand(Collection<String> keys) {
                return sharedLeases.get().demand(keys);
            }
        }, new InMemoryConnectionLeases(clock), fallback);
        Backoff backoff = new FallbackBackoff(new Backoff() {
            @Override
            public CompletionStage<Void> suspend(String key, Duration duration, String reason) {
                return sharedBackoff.get().suspend(key, duration, reason);
            }

            @Override
            public CompletionStage<Optional<Instant>> suspendedUntil(String key) {
                return sharedBackoff.get().suspendedUntil(key);
            }

            @Override
            public CompletionStage<Optional<Suspension>> lookup(String key) {
                return sharedBackoff.get().lookup(key);
            }
        }, new InMemoryBackoff(config.backoffRetention(), clock), fallback);
        var adaptive = new AdaptiveBackoff(backoff, config.ramp(), config.failureThreshold(), config.backoffRefresh(),
                clock, metrics);
        return new SharedDestinationGate(rates, leases, adaptive, config.leaseTtl(), config.burstWindow(), timer,
                metrics, fallback::livePods);
    }

    /**
     * The gate over in-memory backends: the same limits, backoff and lease handling as the shared
     * gate, held by this pod alone (N pods may together send N times the configured rate).
     */
    public static SharedDestinationGate local(DeliveryConfig.Shaping config, ScheduledExecutorService timer,
            ShapingMetrics metrics) {
        Clock clock = Clock.systemUTC();
        var adaptive = new AdaptiveBackoff(new InMemoryBackoff(config.backoffRetention(), clock), config.ramp(),
                config.failureThreshold(), config.backoffRefresh(), clock, metrics);
        return new SharedDestinationGate(new InMemoryRateLimiter(config.burstWindow(), clock),
                new InMemoryConnectionLeases(clock), adaptive, config.leaseTtl(), config.burstWindow(), timer, metrics,
                LivePods.fixed(1));
    }

    void close(@Disposes TrafficShaping shaping) {
        try {
            shaping.resources().close();
        } catch (Exception e) {
            LOG.warnf("closing traffic shaping failed (leases expire by their TTL): %s", e.toString());
        }
    }

    private static void validate(DeliveryConfig.Shaping c) {
        positive(c.burstWindow(), "burst-window");
        positive(c.leaseTtl(), "lease-ttl");
        positive(c.callTimeout(), "call-timeout");
        positive(c.probeInterval(), "probe-interval");
        positive(c.backoffRefresh(), "backoff-refresh");
        positive(c.livePodsRefresh(), "live-pods-refresh");
        if (c.backoffRetention().compareTo(c.ramp()) < 0) {
            throw new IllegalArgumentException("tern.delivery.shaping.backoff-retention must be at least"
                    + " tern.delivery.shaping.ramp, or the ramp is cut short");
        }
        if (c.failureThreshold() < 1) {
            throw new IllegalArgumentException("tern.delivery.shaping.failure-threshold must be at least 1");
        }
        if (c.maxWaiting() < 0) {
            throw new IllegalArgumentException("tern.delivery.shaping.max-waiting must not be negative");
        }
        if (c.livePods().isPresent() && c.livePods().getAsInt() < 1) {
            throw new IllegalArgumentException("tern.delivery.shaping.live-pods must be at least 1");
        }
    }

    private static void positive(Duration d, String key) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("tern.delivery.shaping." + key + " must be a positive duration");
        }
    }

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    private static String owner() {
        String pod = System.getenv("HOSTNAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "delivery";
        }
    }

    /** Built on first successful use; a failed construction is tried again on the next call. */
    private static final class Lazy<T> {
        private final Supplier<T> factory;
        private volatile T value;

        Lazy(Supplier<T> factory) {
            this.factory = factory;
        }

        T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    if (value == null) {
                        value = factory.get();
                    }
                    v = value;
                }
            }
            return v;
        }

        /** {@code read} of the value, or 0 while it has not been built. */
        long ifBuilt(ToLongFunction<T> read) {
            T v = value;
            return v == null ? 0 : read.applyAsLong(v);
        }
    }
}
