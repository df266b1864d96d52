package dev.tern.bounce.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Wiring of the bounce service ({@code tern.bounce.*}; env {@code TERN_BOUNCE_*}). Queue lifetime
 * and the default delay-notice time come from the live policy file ({@code tern.policy}); the keys
 * here only override or wire. Every key has a default that works for the local runtime.
 */
@ConfigMapping(prefix = "tern.bounce")
public interface BounceConfig {

    /**
     * Our name in notices: {@code Reporting-MTA: dns; <hostname>} and
     * {@code From: MAILER-DAEMON@<hostname>} (RFC 3464 §2.2.2). Defaults to the machine's host
     * name; set it to the public name of the installation in a cluster, where pod names mean nothing.
     */
    Optional<String> hostname();

    /**
     * Largest original message returned in full in a failure notice (RET=FULL); a larger one is
     * returned as its header section only (RFC 3462 §2 lets the MTA truncate). Octets.
     */
    @WithDefault("1048576")
    long maxReturnedSize();

    /** Kafka consumer group reading {@code tern.failed}, shared by all bounce pods. */
    @WithDefault("tern-bounce")
    String groupId();

    /**
     * Kafka consumer group reading the retry tiers for delay notices. Separate from the delivery
     * service's group, so reading the tiers here never moves delivery's offsets.
     */
    @WithDefault("tern-bounce-delay")
    String delayGroupId();

    /**
     * Where delay notices come from: {@code retry-tiers} (the records on {@code tern.retry.*},
     * which carry the whole envelope a notice needs) or {@code none} (no delay notices).
     */
    @WithDefault("retry-tiers")
    DelayNoticeSource delayNoticeSource();

    /**
     * How long a message waits in the queue before its sender gets one "delayed" notice.
     * Overrides the policy's {@code delay-notice-after} when set (the Helm chart sets it through
     * {@code TERN_BOUNCE_DELAY_NOTICE_AFTER}); absent, the live policy's value applies (default 4h).
     */
    Optional<Duration> delayNoticeAfter();

    /** Infinispan cache of message ids that already had their delay notice. */
    @WithDefault("tern-bounce-delay-notified")
    String notifiedCache();

    /** Infinispan cache holding the suppression list. */
    @WithDefault("tern-suppression")
    String suppressionCache();

    /** How long a hard-bounced address stays suppressed; a new hard bounce starts the time again. */
    @WithDefault("30d")
    Duration suppressFor();

    /**
     * Kafka consumer group reading {@code tern.feedback} (reports at the bounce address), shared by
     * all bounce pods (docs/ARCHITECTURE.md, "Feedback loops and VERP").
     */
    @WithDefault("tern-bounce-feedback")
    String feedbackGroupId();

    /**
     * How long a recipient who complained (an ARF report of a complaint type) stays suppressed;
     * longer than a hard bounce, because an address that works but does not want our mail will not
     * start wanting it. A failed DSN's hard bounce uses {@link #suppressFor()}.
     */
    @WithDefault("365d")
    Duration complaintSuppressFor();

    /**
     * Kafka consumer group reading {@code tern.events} into the message trace
     * (docs/ARCHITECTURE.md, "Message trace and ternctl"), shared by all bounce pods.
     */
    @WithDefault("tern-bounce-trace")
    String traceGroupId();

    /** Infinispan cache holding the message trace. */
    @WithDefault("tern-trace")
    String traceCache();

    /** How long a message's trace is kept after its last record (lifespan of the trace entries). */
    @WithDefault("7d")
    Duration traceRetention();

    /** Records taken per poll; the loop waits for all their notices before it commits. */
    @WithDefault("100")
    int maxPollRecords();

    /** Pause before a record whose notice could not be published (Kafka, Infinispan down) is tried again. */
    @WithDefault("5s")
    Duration retryBackoff();

    /** Whether the consumers start with the application (tests of pure components switch them off). */
    @WithDefault("true")
    boolean enabled();

    /** The sources {@link #delayNoticeSource()} can name. */
    enum DelayNoticeSource {
        /** Retry-tier records ({@code tern.retry.*}), read by the bounce service's own group. */
        RETRY_TIERS,
        /** No delay notices. */
        NONE
    }
}
