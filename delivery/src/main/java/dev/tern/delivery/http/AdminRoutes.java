package dev.tern.delivery.http;

import static dev.tern.common.admin.AdminHttp.error;
import static dev.tern.common.admin.AdminHttp.json;
import static dev.tern.common.admin.AdminHttp.query;

import dev.tern.common.config.TernConfig;
import dev.tern.common.kafka.KafkaAdmin;
import dev.tern.common.queue.DurationText;
import dev.tern.delivery.admin.ControlCommand;
import dev.tern.delivery.admin.DeliveryOperations;
import dev.tern.delivery.admin.QueueActions;
import dev.tern.delivery.admin.QueueReport;
import dev.tern.delivery.admin.QueueScan;
import dev.tern.delivery.admin.QueueSelector;
import dev.tern.delivery.config.DeliveryConfig;
import dev.tern.delivery.metrics.QueueActionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
 *       records in flight (per destination) and connections on this pod; suspended destinations.</li>
 *   <li>Queue actions (docs/ARCHITECTURE.md, "Queue actions"), each answering how many messages it
 *       touched: {@code POST /admin/purge?destination=|sender=|recipient=|id=[&dry-run=true]} →
 *       {@code {"matched":n,"dryRun":b}}; {@code POST /admin/destinations/{name}/retry-now} and
 *       {@code .../reroute?via=smtp://host:port|lmtp://host:port|mx}, {@code POST
 *       /admin/messages/{id}/hold} and {@code .../release} → {@code {"touched":n}}; 400 for a bad
 *       selector or transport, 503 when the order could not be published.</li>
 * </ul>
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
    private final QueueActionMetrics metrics;

    public AdminRoutes(DeliveryOperations service, KafkaAdmin kafka, DeliveryConfig config, TernConfig tern,
            MeterRegistry registry) {
        this.service = service;
        this.kafka = kafka;
        this.config = config;
        this.tern = tern;
        this.metrics = new QueueActionMetrics(registry, () -> service.controls().heldCount());
    }

    void routes(@Observes Router router) {
        router.post("/admin/destinations/:name/suspend").handler(rc -> command(rc, ControlCommand.SUSPEND));
        router.post("/admin/destinations/:name/resume").handler(rc -> command(rc, ControlCommand.RESUME));
        router.post("/admin/destinations/:name/bounce").handler(this::bounce);
        router.post("/admin/destinations/:name/bounce-cancel")
                .handler(rc -> command(rc, ControlCommand.BOUNCE_CANCEL));
        router.get("/admin/queues").blockingHandler(this::queues, false);
        router.post("/admin/purge").blockingHandler(this::purge, false);
        router.post("/admin/destinations/:name/retry-now").blockingHandler(this::retryNow, false);
        router.post("/admin/destinations/:name/reroute").blockingHandler(this::reroute, false);
        router.post("/admin/messages/:id/hold").blockingHandler(rc -> holdOrRelease(rc, ControlCommand.HOLD), false);
        router.post("/admin/messages/:id/release")
                .blockingHandler(rc -> holdOrRelease(rc, ControlCommand.RELEASE), false);
    }

    private QueueActions actions() {
        return new QueueActions(service, new QueueScan(kafka.admin(), tern.kafka().bootstrapServers(),
                kafka.clientProperties(), config.groupId(), SCAN_LIMIT), Clock.systemUTC());
    }

    /** The one selector of a purge request, or an answered 400. */
    private QueueSelector selector(RoutingContext rc) {
        var given = new ArrayList<QueueSelector>();
        for (var field : QueueSelector.Field.values()) {
            for (String v : rc.queryParam(field.name().toLowerCase(java.util.Locale.ROOT))) {
                try {
                    given.add(new QueueSelector(field, v));
                } catch (IllegalArgumentException e) {
                    error(rc, 400, e.getMessage());
                    return null;
                }
            }
        }
        if (given.size() != 1) {
            error(rc, 400, "give exactly one of destination, sender, recipient or id");
            return null;
        }
        return given.get(0);
    }

    private void purge(RoutingContext rc) {
        QueueSelector selector = selector(rc);
        if (selector == null) {
            return;
        }
        boolean dryRun = Boolean.parseBoolean(query(rc, "dry-run", "false"));
        try {
            var found = actions().count(selector);
            if (!dryRun) {
                long now = System.currentTimeMillis();
                long until = now + QueueActions.orderLifetime(service.policy().current()).toMillis();
                service.command(ControlCommand.purge(selector, now, until)).get(30, TimeUnit.SECONDS);
                metrics.action(ControlCommand.PURGE);
            }
            var body = new LinkedHashMap<String, Object>();
            body.put("matched", found.matched());
            body.put("dryRun", dryRun);
            body.put("truncated", found.truncated());
            json(rc, 200, body);
        } catch (Exception e) {
            error(rc, 503, "purge failed: " + e);
        }
    }

    private void retryNow(RoutingContext rc) {
        var selector = new QueueSelector(QueueSelector.Field.DESTINATION, rc.pathParam("name"));
        act(rc, "retry-now", List.of(), () -> actions().makeDue(selector).moved());
    }

    private void reroute(RoutingContext rc) {
        ControlCommand order;
        try {
            order = ControlCommand.reroute(rc.pathParam("name"), query(rc, "via", ""), System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            error(rc, 400, "via: " + e.getMessage());
            return;
        }
        var selector = new QueueSelector(QueueSelector.Field.DESTINATION, rc.pathParam("name"));
        act(rc, ControlCommand.REROUTE, List.of(order), () -> actions().makeDue(selector).matched());
    }

    private void holdOrRelease(RoutingContext rc, String command) {
        var order = ControlCommand.message(command, rc.pathParam("id"), System.currentTimeMillis());
        var selector = new QueueSelector(QueueSelector.Field.ID, order.id());
        act(rc, command, List.of(order), () -> command.equals(ControlCommand.HOLD) ? actions().count(selector).matched()
                : actions().makeDue(selector).matched());
    }

    private interface Touch {
        int run() throws Exception;
    }

    /** Publishes {@code orders} (every pod applies them), then does {@code touch}; answers {"touched": n}. */
    private void act(RoutingContext rc, String action, List<ControlCommand> orders, Touch touch) {
        try {
            for (ControlCommand order : orders) {
                service.command(order).get(30, TimeUnit.SECONDS);
            }
            int touched = touch.run();
            metrics.action(action);
            json(rc, 200, Map.of("touched", touched));
        } catch (Exception e) {
            error(rc, 503, action + " failed: " + e);
        }
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
