package dev.tern.delivery.retry;

import dev.tern.common.queue.Topics;
import java.time.Duration;
import java.util.List;

/**
 * Chooses the retry tier for a deferred message (docs/ARCHITECTURE.md, "Delivery rules"): after attempt
 * {@code n} (1-based) the message waits on rung {@code n-1} of the ladder; past the last rung it
 * stays on the last one, so a 5-rung ladder of 1m, 5m, 30m, 2h, 6h retries every 6 h until the
 * maximum queue lifetime expires it. Choosing by attempt count rather than by the topic the record
 * came from keeps working when the operator edits the ladder while mail is queued. Immutable.
 */
public record RetryLadder(List<Duration> delays) {

    public RetryLadder {
        delays = List.copyOf(delays);
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("the retry ladder needs at least one delay");
        }
    }

    /** The delay to wait after attempt number {@code attempt} (1 = the first attempt) failed. */
    public Duration delayAfter(int attempt) {
        int rung = Math.max(0, Math.min(attempt - 1, delays.size() - 1));
        return delays.get(rung);
    }

    /** The topic of the tier used after attempt number {@code attempt}. */
    public String topicAfter(int attempt) {
        return Topics.retryTopic(delayAfter(attempt));
    }

    public List<String> topics() {
        return Topics.retryTopics(delays);
    }
}
