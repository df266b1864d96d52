package dev.tern.bounce.admin;

import static dev.tern.common.admin.AdminHttp.error;
import static dev.tern.common.admin.AdminHttp.json;
import static dev.tern.common.admin.AdminHttp.noContent;

import dev.tern.bounce.app.BounceService;
import dev.tern.common.suppression.SuppressionList;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator's view of the suppression list on every bounce pod (same port as health and
 * metrics; the list itself is shared through Infinispan, so any pod answers for all):
 * <ul>
 *   <li>{@code GET /admin/suppression/{address}}: 200 with {@code {address, reason, added, until}}
 *       (ISO-8601 times) when suppressed, 404 when not;</li>
 *   <li>{@code DELETE /admin/suppression/{address}}: lifts it; 204, or 404 when it was not there.</li>
 * </ul>
 * The address is compared case-insensitively; URL-encode it if it holds {@code /} or {@code %}.
 * 503 when the list's backend cannot be reached. Handlers run on a worker thread, because the
 * first use creates the Infinispan cache, a blocking call. Every request needs a bearer token,
 * checked first by the shared {@link dev.tern.common.admin.AdminGuard} (docs/ARCHITECTURE.md,
 * "Admin API security"): viewer for GET, operator for DELETE, which is audited on {@code tern.events}.
 */
@ApplicationScoped
public class SuppressionRoutes {

    private static final long TIMEOUT_SECONDS = 10;

    private final BounceService service;

    public SuppressionRoutes(BounceService service) {
        this.service = service;
    }

    void routes(@Observes Router router) {
        router.get("/admin/suppression/:address").blockingHandler(this::lookup, false);
        router.delete("/admin/suppression/:address").blockingHandler(this::remove, false);
    }

    private void lookup(RoutingContext rc) {
        String address = rc.pathParam("address");
        try {
            var entry = list().lookup(address).toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (entry.isEmpty()) {
                notSuppressed(rc, address);
                return;
            }
            var body = new LinkedHashMap<String, Object>();
            body.put("address", entry.get().address());
            body.put("suppressed", true);
            body.put("reason", entry.get().reason());
            body.put("added", entry.get().added().toString());
            body.put("until", entry.get().until().toString());
            json(rc, 200, body);
        } catch (Exception e) {
            unavailable(rc, e);
        }
    }

    private void remove(RoutingContext rc) {
        String address = rc.pathParam("address");
        try {
            boolean existed = list().remove(address).toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (existed) {
                noContent(rc);
            } else {
                notSuppressed(rc, address);
            }
        } catch (Exception e) {
            unavailable(rc, e);
        }
    }

    private SuppressionList list() {
        return service.suppressionList();
    }

    private static void notSuppressed(RoutingContext rc, String address) {
        json(rc, 404, Map.of("address", SuppressionList.normalize(address), "suppressed", false));
    }

    private static void unavailable(RoutingContext rc, Exception e) {
        error(rc, 503, "suppression list unavailable: " + (e.getCause() != null ? e.getCause() : e));
    }
}
