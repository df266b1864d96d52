package dev.tern.bounce.admin;

import static dev.tern.common.admin.AdminHttp.error;
import static dev.tern.common.admin.AdminHttp.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.bounce.app.BounceService;
import dev.tern.bounce.config.BounceConfig;
import dev.tern.bounce.metrics.BounceMetrics;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /admin/trace} on every bounce pod (docs/ARCHITECTURE.md, "Message trace and
 * ternctl"): what happened to a message, from the trace the pods build out of {@code tern.events}.
 * Exactly one of
 * <ul>
 *   <li>{@code ?id=Q}: the message with queue id Q;</li>
 *   <li>{@code ?message-id=M}: the messages that carried {@code Message-ID: M} (brackets optional);</li>
 *   <li>{@code ?recipient=R[&since=ISO][&until=ISO]}: the messages for R first seen in that window
 *       (default: the whole retention), oldest first, at most {@value dev.tern.bounce.trace.TraceIndex#MAX_RESULTS}.</li>
 * </ul>
 * 200 with {@code {"messages": [...]}}; 404 (same shape, empty) when nothing matched; 400 for a
 * bad query; 503 when Infinispan cannot be reached. Viewer token (GET), checked by the shared
 * {@link dev.tern.common.admin.AdminGuard}. Answers from one or two Hot Rod round trips.
 */
@ApplicationScoped
public class TraceRoutes {

    private static final long TIMEOUT_SECONDS = 5;

    private final BounceService service;
    private final BounceConfig config;
    private final BounceMetrics metrics;

    public TraceRoutes(BounceService service, BounceConfig config) {
        this.service = service;
        this.config = config;
        this.metrics = service.metrics();
    }

    void routes(@Observes Router router) {
        router.get("/admin/trace").blockingHandler(this::trace, false);
    }

    private void trace(RoutingContext rc) {
        long start = System.nanoTime();
        String id = rc.queryParams().get("id");
        String messageId = rc.queryParams().get("message-id");
        String recipient = rc.queryParams().get("recipient");
        long given = java.util.stream.Stream.of(id, messageId, recipient).filter(v -> v != null && !v.isBlank()).count();
        if (given != 1) {
            error(rc, 400, "give exactly one of id, message-id, recipient");
            return;
        }
        CompletionStage<List<ObjectNode>> found;
        var index = service.traceIndex();
        if (id != null && !id.isBlank()) {
            found = index.byId(id);
        } else if (messageId != null && !messageId.isBlank()) {
            found = index.byMessageId(messageId);
        } else {
            Instant until;
            Instant since;
            try {
                until = instant(rc.queryParams().get("until"), Instant.now());
                since = instant(rc.queryParams().get("since"), until.minus(config.traceRetention()));
            } catch (DateTimeParseException e) {
                error(rc, 400, "since and until are ISO-8601 instants, e.g. 2026-01-31T12:00:00Z: " + e.getParsedString());
                return;
            }
            if (since.isAfter(until)) {
                error(rc, 400, "since is after until");
                return;
            }
            found = index.byRecipient(recipient, since, until);
        }
        List<ObjectNode> messages;
        try {
            messages = found.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            error(rc, 503, "trace unavailable: " + (e.getCause() != null ? e.getCause() : e));
            return;
        } finally {
            metrics.traceLookup(System.nanoTime() - start);
        }
        json(rc, messages.isEmpty() ? 404 : 200, Map.of("messages", messages));
    }

    private static Instant instant(String text, Instant fallback) {
        return text == null || text.isBlank() ? fallback : Instant.parse(text.trim());
    }
}
