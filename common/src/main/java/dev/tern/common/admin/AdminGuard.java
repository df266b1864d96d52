package dev.tern.common.admin;

import dev.tern.common.event.AdminAuditEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Guards every path under {@code /admin} of the service's HTTP router (docs/ARCHITECTURE.md,
 * "Admin API security"): each request needs {@code Authorization: Bearer <token>} with a token
 * from the tokens file ({@link AdminAccess} decides: 401 with {@code WWW-Authenticate: Bearer},
 * or 403 for a viewer's write), and every request that is not a read (GET, HEAD) is audited
 * ({@link AdminAudit}) with its response status once the response is finished, refused ones too.
 *
 * <p>One handler on {@value #PATH} with the explicit order {@value #ORDER}: Vert.x runs a
 * request's matching routes in ascending order, and routes registered without an order (every
 * service's admin routes, today's and later ones) get orders from 0 up, so the guard runs before
 * each of them whichever {@code @Observes Router} method runs first. {@code /q/health} and
 * {@code /q/metrics} are outside {@code /admin} and stay open. Runs on the event loop; never blocks.
 */
@ApplicationScoped
public class AdminGuard {

    public static final String PATH = "/admin/*";
    public static final int ORDER = -1000;
    private static final Logger LOG = Logger.getLogger(AdminGuard.class);
    private static final String CHALLENGE = "Bearer realm=\"tern-admin\"";

    private final Supplier<AdminTokens> tokens;
    private final AdminAudit audit;
    private final String service;

    @Inject
    public AdminGuard(AdminTokensHolder tokens, KafkaAdminAudit audit) {
        this(tokens::current, audit, audit.service());
    }

    /** A guard reading the tokens in force from {@code tokens} and writing audit records to {@code audit}. */
    public AdminGuard(Supplier<AdminTokens> tokens, AdminAudit audit, String service) {
        this.tokens = tokens;
        this.audit = audit;
        this.service = service;
    }

    void routes(@Observes Router router) {
        install(router);
    }

    /** Adds the guard to {@code router}, ahead of every route without an explicit order. */
    public void install(Router router) {
        router.route(PATH).order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        String method = rc.request().method().name();
        var verdict = AdminAccess.decide(tokens.get(), method, rc.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (!AdminRole.isRead(method)) {
            rc.addEndHandler(done -> audit(rc, method, verdict.who()));
        }
        if (verdict.allowed()) {
            rc.next();
            return;
        }
        if (verdict.status() == 401) {
            rc.response().putHeader("WWW-Authenticate", CHALLENGE);
        }
        AdminHttp.error(rc, verdict.status(), verdict.error());
    }

    private void audit(RoutingContext rc, String method, String who) {
        int status = rc.response().getStatusCode();
        LOG.infof("admin %s %s by %s: %d", method, rc.normalizedPath(), who, status);
        var client = rc.request().remoteAddress();
        audit.record(AdminAuditEvent.of(service, who, method, rc.normalizedPath(), params(rc), status,
                client == null ? null : client.hostAddress(), System.currentTimeMillis()));
    }

    private static Map<String, List<String>> params(RoutingContext rc) {
        var out = new LinkedHashMap<String, List<String>>();
        try {
            for (String name : rc.queryParams().names()) {
                out.put(name, new ArrayList<>(rc.queryParams().getAll(name)));
            }
        } catch (IllegalArgumentException e) {
            // A query that does not decode is still recorded, as sent.
            out.put("(undecodable)", List.of(String.valueOf(rc.request().query())));
        }
        return out;
    }
}
