package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.config.TernConfig;
import dev.tern.common.infinispan.HotRodSettings;
import dev.tern.common.journal.InfinispanDeliveryJournal;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.delivery.config.DeliveryConfig;
import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.delivery.support.Eventually;
import dev.tern.delivery.support.QueueProbe;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.local.testkit.smtp.SmtpSink;
import dev.tern.local.testkit.tls.SecuredInfinispanResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delivery against an Infinispan server that requires TLS and SCRAM and enforces authorization,
 * configured through {@code tern.infinispan.*} only (docs/ARCHITECTURE.md, "Infinispan security"):
 * the service is ready, delivers, and its journal lands in the secured server.
 */
@QuarkusTest
@QuarkusTestResource(TernClusterResource.class)
@QuarkusTestResource(DeliveryTestResource.class)
@QuarkusTestResource(value = SecuredInfinispanResource.class, restrictToAnnotatedClass = true)
class SecuredInfinispanDeliveryIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static SmtpSink sink;
    static QueueProbe queue;

    @TestHTTPResource("/")
    URI base;

    @Inject
    TernConfig tern;

    @Inject
    DeliveryConfig config;

    @BeforeAll
    static void start() {
        sink = SmtpSink.builder().port(DeliveryTestResource.TestPorts.smtp()).start();
        queue = new QueueProbe();
    }

    @AfterAll
    static void stop() {
        sink.close();
        queue.close();
    }

    @Test
    void isReadyDeliversAndJournalsThroughTheSecuredServer() throws Exception {
        Eventually.await(Duration.ofSeconds(60), this::readiness,
                r -> r.statusCode() == 200 && r.body().replace(" ", "").contains("\"infinispan\":\"up\""));

        QueuedMessage m = QueueProbe.message("alice@sender.test", "bob@relay.test");
        queue.enqueue(m);
        Eventually.await(Duration.ofSeconds(30), () -> sink.messages().stream()
                .filter(r -> r.bodyText().contains(m.id())).toList(), l -> !l.isEmpty());

        try (RemoteCacheManager manager = new RemoteCacheManager(HotRodSettings.from(tern.infinispan()))) {
            var journal = new InfinispanDeliveryJournal(manager, config.journalCache(), Duration.ofHours(1));
            Set<String> delivered = Eventually.await(Duration.ofSeconds(15), () -> {
                try {
                    return journal.delivered(m.id(), List.of("bob@relay.test")).toCompletableFuture()
                            .get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    return Set.<String>of();
                }
            }, s -> !s.isEmpty());
            assertThat(delivered).containsExactly("bob@relay.test");
        }
    }

    private HttpResponse<String> readiness() {
        try {
            return HTTP.send(HttpRequest.newBuilder(base.resolve("/q/health/ready")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
