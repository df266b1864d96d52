package dev.tern.delivery.http;

import static dev.tern.common.admin.AdminHttp.error;
import static dev.tern.common.admin.AdminHttp.json;
import static dev.tern.common.admin.AdminHttp.query;

import dev.tern.common.config.TernConfig;
import dev.tern.common.kafka.KafkaAdmin;
import dev.tern.common.queue.DurationText;
import dev.tern.delivery.admin.ControlCommand;
import dev.tern.delivery.admin.DeliveryOperations;
import dev.tern.delivery.admin.QueueReport;
import dev.tern.delivery.config.DeliveryConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's HTTP interface on every delivery pod (same port as health and metrics):
 * <ul>
 *   <li>{@code POST /admin/destinations/{name}/suspend} and {@code .../resume}: applied on this pod
 *       at once and published on {@code tern.control}, so every pod follows; 202 when Kafka has the
 *       command. {@code name} is a recipient domain, or a route's transport URL-encoded.</li>
 *   <li>{@code POST /admin/destinations/{name}/bounce?reason=...&duration=1d} and
 *       {@code .../bounce-cancel}: the destination's mail, queued or arriving, fails with
 *       {@code 550 5.7.1} and the reason, and its senders get DSNs, until {@code duration}
 *       (default {@value #DEFAULT_BOUNCE}) has passed or the order is cancelled; published the same
 *       way. Retry tiers hand their mail over only when it comes due, so the duration should
 *       outlast the longest tier. 400 for a bad duration.</li>
 *   <li>{@code GET /admin/queues}: JSON with the records waiting per topic and the recipients
 *       waiting per recipient domain and topic, for the whole consumer group ({@link QueueReport});
 *       records in flight (per destination) and connections on this pod; suspended, bounced and
 *       rerouted destinations, held messages.</li>
 * </ul>
 * The queue actions (purge, retry-now, reroute, hold, release) are {@link QueueActionRoutes}.
 * Every request needs a bearer token, checked before these handlers run by the shared
 * {@link dev.tern.common.admin.AdminGuard} (docs/ARCHITECTURE.md, "Admin API security"): a viewer
 * token for the GET, an operator token for the POSTs, which are audited on {@code tern.events}.
 */
@ApplicationScoped
public class AdminRoutes {

    /** Records read per request for the per-destination counts: bounds the cost of one request. */
    private static final int SCAN_LIMIT = 100_000;
    static final String DEFAULT_BOUNCE = "1d";

    private final DeliveryOperations service;
    private final KafkaAdmin kafka;
    private final DeliveryConfig config;
    private final TernConfig tern;

    public AdminRoutes(DeliveryOperations service, KafkaAdmin kafka, DeliveryConfig config, TernConfig tern) {
        this.service = service;
        this.kafka = kafka;
        this.config = config;
        this.tern = tern;
    }

    void routes(@Observes Router router) {
        router.post("/admin/destinations/:name/suspend").handler(rc -> command(rc, ControlCommand.SUSPEND));
        router.post("/admin/destinations/:name/resume").handler(rc -> command(rc, ControlCommand.RESUME));
        router.post("/admin/destinations/:name/bounce").handler(this::bounce);
        router.post("/admin/destinations/:name/bounce-cancel")
                .handler(rc -> command(rc, ControlCommand.BOUNCE_CANCEL));
        router.get("/admin/queues").blockingHandler(this::queues, false);
    }

    private void command(RoutingContext rc, String command) {
        publish(rc, new ControlCommand(command, rc.pathParam("name"), System.currentTimeMillis()));
    }

    private void bounce(RoutingContext rc) {
        Duration duration;
        try {
            duration = DurationText.parse(query(rc, "duration", DEFAULT_BOUNCE));
        } catch (IllegalArgumentException e) {
            error(rc, 400, "duration: " + e.getMessage());
            return;
        }
        long now = System.currentTimeMillis();
        String reason = query(rc, "reason", "");
        publish(rc, new ControlCommand(ControlCommand.BOUNCE, rc.pathParam("name"), now, reason,
                now + duration.toMillis()));
    }

    private void publish(RoutingContext rc, ControlCommand c) {
        service.command(c).whenComplete((v, e) -> {
            if (e != null) {
                error(rc, 503, "command applied here but not published: " + e.getMessage());
            } else {
                var body = new LinkedHashMap<String, Object>(Map.of("command", c.command(), "destination", c.destination()));
                if (c.command().equals(ControlCommand.BOUNCE)) {
                    body.put("reason", c.reason());
                    body.put("until", Instant.ofEpochMilli(c.until()).toString());
                }
                json(rc, 202, body);
            }
        });
    }

    private void queues(RoutingContext rc) {
        var body = new LinkedHashMap<String, Object>();
        try {
            body.putAll(new QueueReport(kafka.admin(), tern.kafka().bootstrapServers(), kafka.clientProperties(),
                    config.groupId(),
                    SCAN_LIMIT).report(service.consumedTopics()));
        } catch (Exception e) {
            body.put("waiting", Map.of("error", e.toString()));
        }
        body.put("inFlight", service.inFlight());
        body.put("inFlightByDestination", service.inFlightByDestination());
        body.put("connections", service.openConnections());
        body.put("suspended", service.controls().suspended());
        var bounced = new LinkedHashMap<String, Object>();
        service.controls().bounced(Instant.now()).forEach((d, b) -> bounced.put(d,
                Map.of("reason", b.reason(), "until", b.until().toString())));
        body.put("bounced", bounced);
        body.put("rerouted", service.controls().rerouted());
        body.put("held", service.controls().held());
        json(rc, 200, body);
    }
}
