package dev.tern.delivery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Wiring of the delivery service ({@code tern.delivery.*}; env {@code TERN_DELIVERY_*}). Shaping,
 * routes and the retry ladder are not here: they live in the live-reloaded policy file
 * ({@code tern.policy}). Every key has a default that works for the local runtime. How the
 * policy's limits are enforced across pods is {@link #shaping()}.
 */
@ConfigMapping(prefix = "tern.delivery")
public interface DeliveryConfig {

    /** Kafka consumer group shared by all delivery pods: partitions are spread across them. */
    @WithDefault("tern-delivery")
    String groupId();

    /**
     * Records being delivered at once by this pod. When reached, every partition is paused (the
     * consumer keeps polling, so the group does not rebalance) until work completes.
     */
    @WithDefault("1000")
    int maxInFlight();

    /** Records fetched per poll; also bounds how far one poll can overshoot {@link #maxInFlight()}. */
    @WithDefault("200")
    int maxPollRecords();

    /**
     * Kafka consumer session timeout: how long the group waits for a pod that died without leaving
     * before its partitions move to the others. Shorter than Kafka's 45 s default so a killed pod's
     * mail resumes quickly; the loop polls every 100 ms, so heartbeats are never late.
     */
    @WithDefault("10s")
    Duration sessionTimeout();

    /** Name announced in EHLO/LHLO; defaults to the machine's host name. */
    Optional<String> hostname();

    /** TCP port for MX delivery: 25 on the Internet; tests point MX hosts at a loopback sink port. */
    @WithDefault("25")
    int mxPort();

    /** How long an unused pooled connection stays open for the next message to the same host. */
    @WithDefault("10s")
    Duration idleTimeout();

    /**
     * Longest a message waits in memory for a connection slot or a rate token of its destination
     * before it is deferred to the shortest retry tier instead (docs/ARCHITECTURE.md, "Traffic shaping").
     */
    @WithDefault("30s")
    Duration maxThrottleWait();

    /**
     * Fail recipients on the suppression list (hard-bounced addresses, kept by the bounce service)
     * with 550 5.7.1 instead of sending to them.
     */
    @WithDefault("true")
    boolean honourSuppression();

    /** Infinispan cache of the suppression list: the same as {@code tern.bounce.suppression-cache}. */
    @WithDefault("tern-suppression")
    String suppressionCache();

    /** Infinispan cache holding the delivery journal (recipients already accepted per message). */
    @WithDefault("tern-journal")
    String journalCache();

    /**
     * How long the consumer waits at start for the journal before it delivers without one (and a
     * crash could then duplicate the first messages). Infinispan being down must not stop mail.
     */
    @WithDefault("15s")
    Duration journalWait();

    /**
     * Create the Kafka topics of the policy's retry ladder at start if they are missing (local
     * runtime; in a cluster the Helm chart's KafkaTopic resources own them).
     */
    @WithDefault("false")
    boolean createTopics();

    /** Whether the consumer starts with the application (tests of pure components switch it off). */
    @WithDefault("true")
    boolean enabled();

    /**
     * How often the group's backlog per queue topic ({@code tern_delivery_backlog_records},
     * {@code tern_delivery_due_records}) is read from Kafka; 0 turns the gauges off.
     */
    @WithDefault("15s")
    Duration backlogRefresh();

    /** Cluster-wide traffic shaping ({@code tern.delivery.shaping.*}). */
    Shaping shaping();

    /**
     * How the policy's per-destination limits (rate, max-connections, backoff) are held across
     * delivery pods (docs/ARCHITECTURE.md, "Traffic shaping"): in Infinispan, with a
     * local fallback of {@code global / live pods} while it is unreachable.
     */
    interface Shaping {

        /**
         * Hold limits cluster-wide in Infinispan. False: each pod enforces them on its own, so N pods
         * send up to N times the configured rate and connections.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Burst capacity of a rate: the tokens one request may take are those of this window
         * ({@code 100/s} and 200ms: 20). Larger windows mean fewer Hot Rod round trips per message
         * and larger bursts; a rate slower than one message per window has a burst of 1.
         */
        @WithDefault("200ms")
        Duration burstWindow();

        /**
         * Lifetime of a connection lease, renewed every third of it: a killed pod's connections
         * stop counting against {@code max-connections} within this time.
         */
        @WithDefault("15s")
        Duration leaseTtl();

        /** How long a shaping call to Infinispan may take before the local fallback answers it. */
        @WithDefault("500ms")
        Duration callTimeout();

        /**
         * Shaping calls to Infinispan that must fail (or outlast {@code call-timeout}) in a row
         * before the pod switches to local limits. Calls that fail before that are refused (no
         * connection slot, no tokens: asked again within 50 ms), so one slow answer on a busy or
         * just-started pod does not let it grant itself limits on top of the shared ones.
         */
        @WithDefault("3")
        int failuresToFallback();

        /** While Infinispan is unreachable, how often one call tries it again. */
        @WithDefault("2s")
        Duration probeInterval();

        /** How long an ended backoff stays visible, so that the rate can ramp back up; at least {@link #ramp()}. */
        @WithDefault("5m")
        Duration backoffRetention();

        /** After a backoff ends, the rate rises linearly from 10% to 100% over this time. */
        @WithDefault("1m")
        Duration ramp();

        /** How often a pod re-reads a destination's backoff state from Infinispan. */
        @WithDefault("1s")
        Duration backoffRefresh();

        /**
         * How long an unused pooled connection stays open when another delivery process (or this
         * one, for another host of the destination) was refused a connection slot of its
         * destination: its lease is better spent where mail is waiting. At most {@code idle-timeout}.
         */
        @WithDefault("1s")
        Duration contendedIdleTimeout();

        /** Connection failures in a row (refused, timed out, bad greeting) that back a destination off. */
        @WithDefault("5")
        int failureThreshold();

        /**
         * Messages that may wait in memory for one destination's connection or rate token on this
         * pod; more are deferred to the shortest retry tier (451 4.7.0, no attempt used). The
         * default equals {@code max-in-flight}: one busy destination may use the pod's whole
         * in-flight window (already bounded) without spilling; lower it to keep room for others.
         */
        @WithDefault("${tern.delivery.max-in-flight:1000}")
        int maxWaiting();

        /**
         * Live delivery pods, the divisor of the fallback limits. Unset: the members of the delivery
         * consumer group ({@code tern.delivery.group-id}), refreshed every {@link #livePodsRefresh()}.
         */
        OptionalInt livePods();

        /** How often the delivery consumer group's members are counted. */
        @WithDefault("30s")
        Duration livePodsRefresh();

        /** Infinispan cache names of the shared state (one per installation). */
        @WithDefault("tern-shaping-rates")
        String ratesCache();

        @WithDefault("tern-shaping-leases")
        String leasesCache();

        @WithDefault("tern-shaping-backoff")
        String backoffCache();
    }
}
