package dev.tern.common.policy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * One delivery-webhook endpoint of the policy's {@code webhooks:} list (docs/ARCHITECTURE.md,
 * "Webhooks"): the bounce service POSTs batches of delivery events to {@code url}, signed with
 * {@code secret}. Immutable; a reload that changes any field restarts that endpoint's consumer,
 * which resumes from its committed offsets. {@link #toString()} never shows the secret
 * ({@link Password} hides it).
 *
 * @param name        unique name: the Kafka group {@code tern-webhook-<name>}, the metrics' {@code endpoint} label
 * @param url         {@code http://} or {@code https://} URL the batches are POSTed to
 * @param secret      the HMAC-SHA256 key, read from {@code secretFile}
 * @param secretFile  the file it was read from (a mounted Secret), watched for rotation
 * @param outcomes    the {@code DeliveryEvent.Outcome} names (upper case) sent; empty means every delivery event
 * @param batchSize   most events in one POST
 * @param maxWait     longest an event waits for its batch to fill before the batch is sent
 * @param timeout     one POST's limit, connect to response
 * @param backoff     the pause after a first failed POST; doubled after each further failure
 * @param maxBackoff  the cap of that pause
 * @param startAtEnd  whether a new endpoint (no committed offsets yet) starts at the end of
 *                    {@code tern.events} ({@code start: latest}) rather than its beginning
 */
public record Webhook(String name, URI url, Password secret, Path secretFile, Set<String> outcomes, int batchSize,
        Duration maxWait, Duration timeout, Duration backoff, Duration maxBackoff, boolean startAtEnd) {

    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);

    public Webhook {
        outcomes = Set.copyOf(outcomes);
    }

    /** Whether an event with this outcome (as written on {@code tern.events}) goes to this endpoint. */
    public boolean wants(String outcome) {
        return outcomes.isEmpty() || outcomes.contains(outcome);
    }
}
