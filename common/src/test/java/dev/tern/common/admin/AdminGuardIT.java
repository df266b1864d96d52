package dev.tern.common.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.event.AdminAuditEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guard on a real Vert.x router and HTTP server: it covers admin routes registered after it
 * (as a service's later routes would be), leaves other paths open, and audits writes.
 */
class AdminGuardIT {

    static Vertx vertx;
    static HttpServer server;
    static URI base;
    static final AtomicReference<AdminTokens> TOKENS = new AtomicReference<>();
    static final BlockingQueue<AdminAuditEvent> AUDIT = new LinkedBlockingQueue<>();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get("/q/health").handler(rc -> rc.response().end("UP"));
        router.get("/admin/later").handler(rc -> AdminHttp.json(rc, 200, List.of("read")));
        router.post("/admin/later").handler(rc -> AdminHttp.json(rc, 202, List.of("done")));
        // Installed last on purpose: its explicit order, not the registration order, puts it first.
        new AdminGuard(TOKENS::get, AUDIT::add, "tern-test").install(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = URI.create("http://127.0.0.1:" + server.actualPort());
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @BeforeEach
    void configured() {
        TOKENS.set(AdminTokens.parse(AdminTokensTest.file(), "f"));
        AUDIT.clear();
    }

    private static HttpResponse<String> send(String method, String path, String token) throws Exception {
        var b = HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutTokensConfiguredEveryAdminPathIs401SayingSo() throws Exception {
        TOKENS.set(AdminTokens.unconfigured());
        var r = send("GET", "/admin/later", AdminTokensTest.OPERATOR);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        assertThat(r.body()).contains("\"error\"").contains("admin tokens are not configured");
        assertThat(send("GET", "/q/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void everyPathUnderAdminNeedsAToken() throws Exception {
        for (String path : new String[] {"/admin/later", "/admin/not-yet-written", "/admin/", "/admin",
            "/admin//later", "/x/../admin/later"}) {
            var r = send("GET", path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).isPresent();
        }
        assertThat(send("GET", "/admin/later", "wrong").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/q/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aViewerReadsAndIsRefusedWrites() throws Exception {
        var read = send("GET", "/admin/later", AdminTokensTest.VIEWER);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("[\"read\"]");
        var write = send("POST", "/admin/later", AdminTokensTest.VIEWER);
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(write.body()).contains("\"error\"").contains("viewer");
    }

    @Test
    void anOperatorWritesAndTheWriteIsAuditedByNameNotToken() throws Exception {
        assertThat(send("GET", "/admin/later", AdminTokensTest.OPERATOR).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/admin/later?reason=closed&reason=again&duration=1h", AdminTokensTest.OPERATOR)
                .statusCode()).isEqualTo(202);

        AdminAuditEvent e = AUDIT.poll(30, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(AdminAuditEvent.KIND);
        assertThat(e.service()).isEqualTo("tern-test");
        assertThat(e.who()).isEqualTo("ci-deployer");
        assertThat(e.method()).isEqualTo("POST");
        assertThat(e.path()).isEqualTo("/admin/later");
        assertThat(e.params()).containsEntry("reason", List.of("closed", "again")).containsEntry("duration", List.of("1h"));
        assertThat(e.status()).isEqualTo(202);
        assertThat(e.client()).isEqualTo("127.0.0.1");
        assertThat(new String(e.toJson(), StandardCharsets.UTF_8)).doesNotContain(AdminTokensTest.OPERATOR);
        assertThat(AUDIT).as("reads are not audited").isEmpty();
    }

    @Test
    void refusedWritesAreAuditedToo() throws Exception {
        send("POST", "/admin/later", AdminTokensTest.VIEWER);
        send("DELETE", "/admin/later", null);
        AdminAuditEvent viewer = AUDIT.poll(30, TimeUnit.SECONDS);
        AdminAuditEvent anonymous = AUDIT.poll(30, TimeUnit.SECONDS);
        assertThat(viewer).extracting(AdminAuditEvent::who, AdminAuditEvent::status).containsExactly("grafana", 403);
        assertThat(anonymous).extracting(AdminAuditEvent::who, AdminAuditEvent::status).containsExactly("-", 401);
    }

    @Test
    void auditRecordsRoundTripAsJson() {
        var e = AdminAuditEvent.of("tern-delivery", "alice", "DELETE", "/admin/suppression/a@b.test",
                java.util.Map.of(), 204, "10.0.0.1", 42L);
        assertThat(AdminAuditEvent.fromJson(e.toJson())).isEqualTo(e);
        assertThat(new String(e.toJson(), StandardCharsets.UTF_8)).contains("\"kind\":\"admin-audit\"");
    }
}
