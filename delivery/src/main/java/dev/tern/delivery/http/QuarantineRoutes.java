package dev.tern.delivery.http;

import static dev.tern.common.admin.AdminHttp.error;
import static dev.tern.common.admin.AdminHttp.json;
import static dev.tern.common.admin.AdminHttp.query;

import dev.tern.delivery.quarantine.QuarantineFilter;
import dev.tern.delivery.quarantine.QuarantineService;
import dev.tern.delivery.quarantine.QuarantineStore;
import dev.tern.delivery.quarantine.QuarantineUnavailableException;
import dev.tern.delivery.quarantine.QuarantinedMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's view of held mail, on every delivery pod (docs/ARCHITECTURE.md, "Quarantine"):
 * <ul>
 *   <li>{@code GET /admin/quarantine?limit=100&sender=&recipient=&reason=}: held messages, newest
 *       first, {@code {"held": n, "messages": [{"id", "sender", "recipients", "reason", "size",
 *       "quarantinedAt"}]}}; the filters match parts of the address or reason, case-insensitively.</li>
 *   <li>{@code GET /admin/quarantine/{id}}: the same object plus {@code "message"} (the message as
 *       UTF-8 text); with {@code ?raw=true} the RFC 5322 bytes as {@code message/rfc822}.</li>
 *   <li>{@code POST /admin/quarantine/{id}/release}: queued on {@code tern.inbound}, then no longer held.</li>
 *   <li>{@code DELETE /admin/quarantine/{id}}: no longer held, never delivered.</li>
 * </ul>
 * 404 for an id that is not held, 503 while Kafka does not answer. The shared admin guard checks
 * the bearer token first: a viewer may read, releasing and deleting need an operator (and are audited).
 */
@ApplicationScoped
public class QuarantineRoutes {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private final QuarantineService quarantine;

    public QuarantineRoutes(QuarantineService quarantine) {
        this.quarantine = quarantine;
    }

    void routes(@Observes Router router) {
        router.get("/admin/quarantine").blockingHandler(this::list, false);
        router.get("/admin/quarantine/:id").blockingHandler(this::show, false);
        router.post("/admin/quarantine/:id/release").blockingHandler(this::release, false);
        router.delete("/admin/quarantine/:id").blockingHandler(this::delete, false);
    }

    private void list(RoutingContext rc) {
        int limit;
        try {
            limit = Integer.parseInt(query(rc, "limit", Integer.toString(DEFAULT_LIMIT)));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            error(rc, 400, "limit: a number from 1 to " + MAX_LIMIT);
            return;
        }
        Optional<QuarantineStore> store = started(rc);
        if (store.isEmpty()) {
            return;
        }
        var filter = new QuarantineFilter(query(rc, "sender", null), query(rc, "recipient", null),
                query(rc, "reason", null));
        Instant now = Instant.now();
        var body = new LinkedHashMap<String, Object>();
        body.put("held", store.get().index().held(now));
        body.put("messages", store.get().index().list(filter, limit, now).stream().map(QuarantinedMessage::toJson).toList());
        json(rc, 200, body);
    }

    private void show(RoutingContext rc) {
        act(rc, store -> store.show(id(rc)).map(held -> {
            if (Boolean.parseBoolean(query(rc, "raw", "false"))) {
                rc.response().setStatusCode(200).putHeader("content-type", "message/rfc822")
                        .end(Buffer.buffer(held.message().body()));
                return null;
            }
            Map<String, Object> body = held.meta().toJson();
            body.put("message", new String(held.message().body(), StandardCharsets.UTF_8));
            return body;
        }));
    }

    private void release(RoutingContext rc) {
        act(rc, store -> store.release(id(rc)).map(m -> outcome(m, "released")));
    }

    private void delete(RoutingContext rc) {
        act(rc, store -> store.delete(id(rc)).map(m -> outcome(m, "deleted")));
    }

    private static Map<String, Object> outcome(QuarantinedMessage m, String action) {
        Map<String, Object> body = m.toJson();
        body.put("action", action);
        return body;
    }

    private interface Action {
        /** The JSON reply; empty when the id is not held, or when the reply was sent already (raw bytes). */
        Optional<Map<String, Object>> on(QuarantineStore store) throws QuarantineUnavailableException;
    }

    private void act(RoutingContext rc, Action action) {
        Optional<QuarantineStore> store = started(rc);
        if (store.isEmpty()) {
            return;
        }
        try {
            Optional<Map<String, Object>> body = action.on(store.get());
            if (body.isEmpty()) {
                if (!rc.response().ended()) {
                    error(rc, 404, "not in quarantine: " + id(rc));
                }
            } else {
                json(rc, 200, body.get());
            }
        } catch (QuarantineUnavailableException e) {
            error(rc, 503, e.getMessage());
        }
    }

    private Optional<QuarantineStore> started(RoutingContext rc) {
        Optional<QuarantineStore> store = quarantine.store();
        if (store.isEmpty()) {
            error(rc, 503, "quarantine not started (tern.delivery.enabled=false)");
        }
        return store;
    }

    private static String id(RoutingContext rc) {
        return rc.pathParam("id");
    }
}
