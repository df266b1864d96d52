package dev.tern.ternctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One service's admin API (docs/ARCHITECTURE.md, "Admin API security"): a bearer token on every
 * request, JSON answers, errors as {@code {"error": "..."}}. Turns every failure into a
 * {@link CliFailure} with the exit code scripts rely on: 404 → {@link ExitCodes#NOT_FOUND};
 * 401/403 and connection failures → {@link ExitCodes#UNREACHABLE}; any other non-2xx →
 * {@link ExitCodes#ERROR}.
 */
final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String service;
    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param service the service's name for messages ({@code delivery}, {@code bounce}) */
    AdminClient(String service, URI base, String token) {
        this.service = service;
        this.base = base;
        this.token = token;
    }

    JsonNode get(String path, Map<String, String> query) {
        return call("GET", path, query);
    }

    JsonNode post(String path, Map<String, String> query) {
        return call("POST", path, query);
    }

    JsonNode put(String path, Map<String, String> query) {
        return call("PUT", path, query);
    }

    JsonNode delete(String path, Map<String, String> query) {
        return call("DELETE", path, query);
    }

    /** An ordered query-parameter map that leaves out null values. */
    static Map<String, String> query(String... namesAndValues) {
        var out = new LinkedHashMap<String, String>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                out.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return out;
    }

    /** A path segment, percent-encoded (addresses and destinations may hold {@code /} or {@code %}). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode call(String method, String path, Map<String, String> query) {
        String q = query.isEmpty() ? "" : "?" + query.entrySet().stream()
                .map(e -> segment(e.getKey()) + "=" + segment(e.getValue())).collect(Collectors.joining("&"));
        URI uri = URI.create(stripSlash(base.toString()) + path + q);
        var request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.UNREACHABLE, service + " admin API at " + base + " unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCodes.UNREACHABLE, "interrupted");
        }
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return body;
        }
        String error = body.path("error").asText("");
        String detail = method + " " + path + ": " + status + (error.isEmpty() ? "" : " " + error);
        throw switch (status) {
            case 401, 403 -> new CliFailure(ExitCodes.UNREACHABLE, service + " refused the token: " + detail);
            case 404 -> new NotFound(detail, body);
            default -> new CliFailure(ExitCodes.ERROR, service + ": " + detail);
        };
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** 404, with the body: some answers (an empty trace) are still worth printing with --json. */
    static final class NotFound extends CliFailure {
        private final transient JsonNode body;

        NotFound(String message, JsonNode body) {
            super(ExitCodes.NOT_FOUND, message);
            this.body = body;
        }

        JsonNode body() {
            return body;
        }
    }
}
