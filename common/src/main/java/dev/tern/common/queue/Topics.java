package dev.tern.common.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The names of Tern's Kafka topics (docs/ARCHITECTURE.md, "Topics and records").
 *
 * <p>Retry tiers are one topic per fixed delay, named after the delay ({@code tern.retry.5m}), so
 * every partition of a tier is in due-time order and a consumer can pause it until its head is due.
 */
public final class Topics {

    public static final String INBOUND = "tern.inbound";
    public static final String FAILED = "tern.failed";
    public static final String EVENTS = "tern.events";
    public static final String CONTROL = "tern.control";
    /**
     * Messages a content filter held back (a milter's quarantine action, or a policy rule): the
     * {@link RecordCodec} record, keyed by queue id, with the reason in {@link RecordCodec#QUARANTINE_REASON}.
     */
    public static final String QUARANTINE = "tern.quarantine";
    public static final String RETRY_PREFIX = "tern.retry.";
    /**
     * Mail addressed to the bounce domain (asynchronous DSNs, ARF complaints): the
     * {@link RecordCodec} record, keyed by queue id, read by the bounce service
     * (docs/ARCHITECTURE.md, "Feedback loops and VERP").
     */
    public static final String FEEDBACK = "tern.feedback";

    private Topics() {
    }

    /** {@code tern.retry.<delay>} for one rung of the retry ladder, e.g. {@code tern.retry.30m}. */
    public static String retryTopic(Duration delay) {
        return RETRY_PREFIX + DurationText.format(delay);
    }

    /** Every retry topic for a ladder, shortest first. */
    public static List<String> retryTopics(List<Duration> ladder) {
        var names = new ArrayList<String>(ladder.size());
        for (Duration d : ladder) {
            names.add(retryTopic(d));
        }
        return names;
    }

    /** All topics Tern needs for the given retry ladder. */
    public static List<String> all(List<Duration> ladder) {
        var names = new ArrayList<String>();
        names.add(INBOUND);
        names.addAll(retryTopics(ladder));
        names.add(FAILED);
        names.add(EVENTS);
        names.add(CONTROL);
        names.add(QUARANTINE);
        names.add(FEEDBACK);
        return names;
    }
}
