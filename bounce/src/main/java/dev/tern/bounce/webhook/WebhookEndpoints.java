package dev.tern.bounce.webhook;

import dev.tern.common.policy.Webhook;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.jboss.logging.Logger;

/**
 * The running webhook consumers, one thread per endpoint of the policy (docs/ARCHITECTURE.md,
 * "Webhooks"). {@link #apply} makes the running set match a (re)loaded policy: an endpoint that is
 * gone or changed in any way (URL, secret, filter, batching) is stopped, a new or changed one
 * started; the others run on untouched. A restarted endpoint resumes from its group's committed
 * offsets, so a reload loses nothing and repeats at most the batch in flight. Thread-safe
 * (synchronized); stopping waits for each loop's current POST.
 */
public final class WebhookEndpoints implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebhookEndpoints.class);

    /** The Kafka group of endpoint {@code name}: its progress is this group's committed offsets. */
    public static String groupId(String name) {
        return "tern-webhook-" + name;
    }

    private final String topic;
    private final Function<Webhook, Consumer<String, byte[]>> consumers;
    private final WebhookMetrics metrics;
    private final Clock clock;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private boolean closed;

    /**
     * @param topic     the topic read, {@code tern.events}
     * @param consumers a new consumer in group {@link #groupId} of the webhook's name, with
     *                  {@code auto.offset.reset} from {@link Webhook#startAtEnd()}
     */
    public WebhookEndpoints(String topic, Function<Webhook, Consumer<String, byte[]>> consumers,
            MeterRegistry registry, Clock clock) {
        this.topic = topic;
        this.consumers = consumers;
        this.metrics = new WebhookMetrics(registry);
        this.clock = clock;
    }

    /** Stops endpoints not in {@code webhooks} (or changed) and starts the new ones. */
    public synchronized void apply(List<Webhook> webhooks) {
        if (closed) {
            return; // a reload racing the shutdown starts nothing
        }
        var wanted = new LinkedHashMap<String, Webhook>();
        webhooks.forEach(w -> wanted.put(w.name(), w));
        running.entrySet().removeIf(e -> {
            if (e.getValue().webhook.equals(wanted.get(e.getKey()))) {
                return false;
            }
            e.getValue().stop();
            LOG.infof("webhook %s stopped", e.getKey());
            return true;
        });
        for (Webhook w : wanted.values()) {
            if (!running.containsKey(w.name())) {
                running.put(w.name(), start(w));
                LOG.infof("webhook %s started: %s, group %s, events %s", w.name(), withoutQuery(w.url()), groupId(w.name()),
                        w.outcomes().isEmpty() ? "all" : w.outcomes());
            }
        }
    }

    /** Names of the endpoints running now. */
    public synchronized List<String> names() {
        return List.copyOf(running.keySet());
    }

    @Override
    public synchronized void close() {
        closed = true;
        running.values().forEach(Running::stop);
        running.clear();
    }

    /** The URL for logs: a query string may carry a receiver's token. */
    private static String withoutQuery(java.net.URI url) {
        return url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?...");
    }

    private Running start(Webhook w) {
        var poster = new WebhookPoster(w.url(), new WebhookSigner(w.secret().value()), w.timeout(), clock);
        var backoff = new RetryBackoff(w.backoff(), w.maxBackoff(), () -> ThreadLocalRandom.current().nextDouble());
        var loop = new WebhookLoop(w, consumers.apply(w), topic, poster, backoff, metrics, clock);
        var thread = new Thread(loop, "tern-webhook-" + w.name());
        thread.setDaemon(true);
        thread.start();
        return new Running(w, loop, thread);
    }

    private record Running(Webhook webhook, WebhookLoop loop, Thread thread) {
        void stop() {
            loop.stop();
            try {
                thread.join(webhook.timeout().plus(Duration.ofSeconds(10)).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
