package dev.tern.delivery.http;

import static dev.tern.common.admin.AdminHttp.error;
import static dev.tern.common.admin.AdminHttp.json;
import static dev.tern.common.admin.AdminHttp.query;

import dev.tern.common.config.TernConfig;
import dev.tern.common.kafka.KafkaAdmin;
import dev.tern.delivery.admin.ControlCommand;
import dev.tern.delivery.admin.DeliveryOperations;
import dev.tern.delivery.admin.QueueActions;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator's queue actions on every delivery pod (docs/ARCHITECTURE.md, "Queue actions"),
 * each answering how many messages it touched:
 * <ul>
 *   <li>{@code POST /admin/purge?destination=|sender=|recipient=|id=[&dry-run=true]} →
 *       {@code {"matched":n,"dryRun":b,"truncated":b}}: exactly one selector, else 400;</li>
 *   <li>{@code POST /admin/destinations/{name}/retry-now} → {@code {"touched":n}};</li>
 *   <li>{@code POST /admin/destinations/{name}/reroute?via=smtp://host:port|lmtp://host:port|mx}
 *       → {@code {"touched":n}}; 400 for a missing or bad transport;</li>
 *   <li>{@code POST /admin/messages/{id}/hold} and {@code .../release} → {@code {"touched":n}}.</li>
 * </ul>
 * Orders are applied here and published on {@code tern.control} before the answer; 503 when that
 * or the queue scan failed. Blocking work (scans, acknowledgements) runs on worker threads. Every
 * request needs an operator token and is audited ({@link dev.tern.common.admin.AdminGuard}).
 */
@ApplicationScoped
public class QueueActionRoutes {

    /** Records read per action: bounds the cost of one request (as {@code GET /admin/queues}). */
    private static final int SCAN_LIMIT = 100_000;
    private static final long PUBLISH_WAIT_SECONDS = 30;

    private final DeliveryOperations service;
    private final KafkaAdmin kafka;
    private final DeliveryConfig config;
    private final TernConfig tern;
    private final QueueActionMetrics metrics;

    public QueueActionRoutes(DeliveryOperations service, KafkaAdmin kafka, DeliveryConfig config, TernConfig tern,
            MeterRegistry registry) {
        this.service = service;
        this.kafka = kafka;
        this.config = config;
        this.tern = tern;
        this.metrics = new QueueActionMetrics(registry, () -> service.controls().heldCount());
    }

    void routes(@Observes Router router) {
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

    /** The one selector of a purge request, or null with a 400 answered. */
    private static QueueSelector selector(RoutingContext rc) {
        var given = new ArrayList<QueueSelector>();
        for (var field : QueueSelector.Field.values()) {
            for (String v : rc.queryParam(field.name().toLowerCase(Locale.ROOT))) {
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
                service.command(ControlCommand.purge(selector, now, until)).get(PUBLISH_WAIT_SECONDS, TimeUnit.SECONDS);
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
        // Queued mail moves too: what waits on a tier is made due, so it takes the new route now.
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
                service.command(order).get(PUBLISH_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            int touched = touch.run();
            metrics.action(action);
            json(rc, 200, Map.of("touched", touched));
        } catch (Exception e) {
            error(rc, 503, action + " failed: " + e);
        }
    }
}
