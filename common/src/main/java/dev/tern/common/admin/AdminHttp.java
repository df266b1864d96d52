package dev.tern.common.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * The replies of the services' operator endpoints ({@code /admin/...}, on the management port
 * next to health and metrics): JSON bodies, errors as {@code {"error": "..."}}, optional query
 * parameters. One place, so every service's admin API looks the same to a script.
 */
public final class AdminHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminHttp() {
    }

    /** Ends the exchange with {@code status} and {@code body} as JSON; a body that cannot be written fails it. */
    public static void json(RoutingContext rc, int status, Object body) {
        try {
            rc.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(JSON.writeValueAsString(body));
        } catch (Exception e) {
            rc.fail(e);
        }
    }

    /** {@code {"error": message}} with {@code status}. */
    public static void error(RoutingContext rc, int status, String message) {
        json(rc, status, Map.of("error", message));
    }

    /** 204, no body. */
    public static void noContent(RoutingContext rc) {
        rc.response().setStatusCode(204).end();
    }

    /** The query parameter {@code name}, or {@code fallback} when absent. */
    public static String query(RoutingContext rc, String name, String fallback) {
        String value = rc.queryParams().get(name);
        return value == null ? fallback : value;
    }
}
