package dev.tern.bounce.admin;

import static dev.tern.common.admin.AdminHttp.error;
import static dev.tern.common.admin.AdminHttp.json;
import static dev.tern.common.admin.AdminHttp.noContent;

import dev.tern.bounce.app.BounceService;
import dev.tern.bounce.config.BounceConfig;
import dev.tern.common.admin.AdminHttp;
import dev.tern.common.queue.DurationText;
import dev.tern.common.suppression.SuppressionList;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator's view of the suppression list on every bounce pod (same port as health and
 * metrics; the list itself is shared through Infinispan, so any pod answers for all):
 * <ul>
 *   <li>{@code GET /admin/suppression?limit=N}: 200 with {@code {"entries": [{address, reason,
 *       added, until}]}}, at most N (default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT})
 *       live entries sorted by address;</li>
 *   <li>{@code PUT /admin/suppression/{address}?reason=R&duration=D}: suppresses the address for D
 *       ({@code 30d}, {@code 12h}; default the service's {@code suppress-for}) with reason R
 *       (default {@code operator}); 200 with the entry, 400 for a bad duration;</li>
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
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private final BounceService service;
    private final BounceConfig config;

    public SuppressionRoutes(BounceService service, BounceConfig config) {
        this.service = service;
        this.config = config;
    }

    void routes(@Observes Router router) {
        router.get("/admin/suppression").blockingHandler(this::listing, false);
        router.put("/admin/suppression/:address").blockingHandler(this::add, false);
        router.get("/admin/suppression/:address").blockingHandler(this::lookup, false);
        router.delete("/admin/suppression/:address").blockingHandler(this::remove, false);
    }

    private void listing(RoutingContext rc) {
        int limit;
        try {
            limit = Integer.parseInt(AdminHttp.query(rc, "limit", Integer.toString(DEFAULT_LIMIT)).trim());
        } catch (NumberFormatException e) {
            error(rc, 400, "limit must be a number");
            return;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            error(rc, 400, "limit must be between 1 and " + MAX_LIMIT);
            return;
        }
        try {
            var entries = list().list(limit).toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            json(rc, 200, Map.of("entries", entries.stream().map(SuppressionRoutes::body).toList()));
        } catch (Exception e) {
            unavailable(rc, e);
        }
    }

    private void add(RoutingContext rc) {
        String address = SuppressionList.normalize(rc.pathParam("address"));
        if (address.isEmpty() || !address.contains("@")) {
            error(rc, 400, "not an address: " + rc.pathParam("address"));
            return;
        }
        String reason = AdminHttp.query(rc, "reason", "operator");
        String durationText = AdminHttp.query(rc, "duration", null);
        Duration duration;
        try {
            duration = durationText == null || durationText.isBlank() ? config.suppressFor()
                    : DurationText.parse(durationText.trim());
        } catch (RuntimeException e) {
            error(rc, 400, "duration: " + e.getMessage());
            return;
        }
        if (duration.isNegative() || duration.isZero()) {
            error(rc, 400, "duration must be positive");
            return;
        }
        try {
            Instant until = Instant.now().plus(duration);
            list().add(address, reason, until).toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            var entry = list().lookup(address).toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (entry.isEmpty()) {
                error(rc, 503, "suppression of " + address + " was not stored");
                return;
            }
            json(rc, 200, body(entry.get()));
        } catch (Exception e) {
            unavailable(rc, e);
        }
    }

    private static Map<String, Object> body(SuppressionList.Entry e) {
        var body = new LinkedHashMap<String, Object>();
        body.put("address", e.address());
        body.put("reason", e.reason());
        body.put("added", e.added().toString());
        body.put("until", e.until().toString());
        return body;
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
