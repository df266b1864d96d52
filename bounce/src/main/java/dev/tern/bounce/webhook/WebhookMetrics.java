package dev.tern.bounce.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook metrics of the bounce service (names are a contract with {@code deploy/grafana/}):
 * <ul>
 *   <li>{@code tern_bounce_webhook_posts_total{endpoint,result}}: POSTs, result {@code ok} (2xx),
 *       {@code http_error}, {@code timeout} or {@code error} (connection failed);</li>
 *   <li>{@code tern_bounce_webhook_events_total{endpoint}}: events an endpoint took (2xx);</li>
 *   <li>{@code tern_bounce_webhook_lag_records{endpoint}}: records of {@code tern.events} on this
 *       pod's partitions not yet committed for the endpoint (sum over pods for the endpoint's lag).</li>
 * </ul>
 * {@code endpoint} is the policy's webhook name, so the label is bounded by the policy. A new
 * endpoint's series are registered when its consumer starts, so dashboards show 0, not "no data".
 * Thread-safe.
 */
final class WebhookMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the endpoint's series at 0. */
    void register(String endpoint) {
        for (WebhookPoster.Result r : WebhookPoster.Result.values()) {
            posts(endpoint, r);
        }
        events(endpoint);
        lag(endpoint);
    }

    void posted(String endpoint, WebhookPoster.Result result) {
        posts(endpoint, result).increment();
    }

    void delivered(String endpoint, int events) {
        events(endpoint).increment(events);
    }

    void lag(String endpoint, long records) {
        lag(endpoint).set(records);
    }

    private Counter posts(String endpoint, WebhookPoster.Result result) {
        return counters.computeIfAbsent("posts\0" + endpoint + "\0" + result, k -> Counter
                .builder("tern.bounce.webhook.posts").description("Webhook POSTs, by endpoint and result")
                .tag("endpoint", endpoint).tag("result", result.label()).register(registry));
    }

    private Counter events(String endpoint) {
        return counters.computeIfAbsent("events\0" + endpoint, k -> Counter.builder("tern.bounce.webhook.events")
                .description("Delivery events taken (2xx) by a webhook endpoint").tag("endpoint", endpoint)
                .register(registry));
    }

    private AtomicLong lag(String endpoint) {
        return lags.computeIfAbsent(endpoint, k -> {
            var value = new AtomicLong();
            Gauge.builder("tern.bounce.webhook.lag.records", value, AtomicLong::get)
                    .description("tern.events records not yet committed for a webhook endpoint on this pod")
                    .tag("endpoint", endpoint).register(registry);
            return value;
        });
    }
}
