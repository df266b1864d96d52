package dev.tern.delivery.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.common.config.TernConfig;
import dev.tern.common.kafka.KafkaAdmin;
import dev.tern.delivery.app.DeliveryService;
import dev.tern.delivery.config.DeliveryConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's HTTP interface on every delivery pod (same port as health and metrics):
 * <ul>
 *   <li>{@code POST /admin/destinations/{name}/suspend} and {@code .../resume}: applied on this pod
 *       at once and published on {@code tern.control}, so every pod follows; 202 when Kafka has the
 *       command. {@code name} is a recipient domain, or a route's transport URL-encoded.</li>
 *   <li>{@code GET /admin/queues}: JSON with the records waiting per topic and the recipients
 *       waiting per recipient domain and topic, for the whole consumer group ({@link QueueReport});
 *       records in flight (per destination) and connections on this pod; suspended destinations.</li>
 * </ul>
 * No authentication: the chart exposes this port only inside the cluster (like {@code /q/metrics}).
 */
@ApplicationScoped
public class AdminRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Records read per request for the per-destination counts: bounds the cost of one request. */
    private static final int SCAN_LIMIT = 100_000;

    private final DeliveryService service;
    private final KafkaAdmin kafka;
    private final DeliveryConfig config;
    private final TernConfig tern;

    public AdminRoutes(DeliveryService service, KafkaAdmin kafka, DeliveryConfig config, TernConfig tern) {
        this.service = service;
        this.kafka = kafka;
        this.config = config;
        this.tern = tern;
    }

    void routes(@Observes Router router) {
        router.post("/admin/destinations/:name/suspend").handler(rc -> command(rc, ControlCommand.SUSPEND));
        router.post("/admin/destinations/:name/resume").handler(rc -> command(rc, ControlCommand.RESUME));
        router.get("/admin/queues").blockingHandler(this::queues, false);
    }

    private void command(RoutingContext rc, String command) {
        String name = rc.pathParam("name");
        var c = new ControlCommand(command, name, System.currentTimeMillis());
        service.command(c).whenComplete((v, e) -> {
            if (e != null) {
                reply(rc, 503, Map.of("error", "command applied here but not published: " + e.getMessage()));
            } else {
                reply(rc, 202, Map.of("command", command, "destination", c.destination()));
            }
        });
    }

    private void queues(RoutingContext rc) {
        var body = new LinkedHashMap<String, Object>();
        try {
            body.putAll(new QueueReport(kafka.admin(), tern.kafka().bootstrapServers(), config.groupId(),
                    SCAN_LIMIT).report(service.consumedTopics()));
        } catch (Exception e) {
            body.put("waiting", Map.of("error", e.toString()));
        }
        body.put("inFlight", service.inFlight());
        body.put("inFlightByDestination", service.delivery() == null ? Map.of()
                : service.delivery().inFlightByDestination());
        body.put("connections", service.openConnections());
        body.put("suspended", service.suspensions().all());
        reply(rc, 200, body);
    }

    private static void reply(RoutingContext rc, int status, Object body) {
        try {
            rc.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(JSON.writeValueAsString(body));
        } catch (Exception e) {
            rc.fail(e);
        }
    }
}
