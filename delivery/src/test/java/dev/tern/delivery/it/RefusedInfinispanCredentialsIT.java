package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.delivery.support.Eventually;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.local.testkit.tls.SecuredInfinispanResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Delivery with a wrong Infinispan password (docs/ARCHITECTURE.md, "Infinispan security"): the
 * service keeps running, {@code /q/health/ready} stays DOWN, and the log says once, in one line,
 * that Infinispan refused the credentials: no stack traces, no line per retry.
 */
@QuarkusTest
@TestProfile(RefusedInfinispanCredentialsIT.LogToFile.class)
@QuarkusTestResource(TernClusterResource.class)
@QuarkusTestResource(DeliveryTestResource.class)
@QuarkusTestResource(value = SecuredInfinispanResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = SecuredInfinispanResource.PASSWORD_ARG, value = "not-the-password"))
class RefusedInfinispanCredentialsIT {

    static final Path LOG = Path.of("target", "refused-infinispan-credentials.log").toAbsolutePath();
    static final String REFUSED = "Infinispan refused Tern's credentials";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The service's log in a file the test reads. */
    public static class LogToFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.deleteIfExists(LOG);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return Map.of("quarkus.log.file.enable", "true", "quarkus.log.file.path", LOG.toString());
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void staysNotReadyAndSaysSoOnceWithoutStackTraces() throws Exception {
        // Several probes, as the kubelet would send, and retries of the suppression list opener.
        for (int probe = 0; probe < 5; probe++) {
            HttpResponse<String> ready = Eventually.await(Duration.ofSeconds(30), () -> get("/q/health/ready"),
                    r -> r.body().contains("misconfigured"));
            assertThat(ready.statusCode()).isEqualTo(503);
        }
        assertThat(get("/q/health/live").statusCode()).as("the pod keeps running").isEqualTo(200);

        List<String> lines = Eventually.await(Duration.ofSeconds(10), RefusedInfinispanCredentialsIT::logLines,
                l -> l.stream().anyMatch(line -> line.contains(REFUSED)));
        assertThat(lines.stream().filter(line -> line.contains(REFUSED)))
                .as("one clear line: %s", lines).hasSize(1)
                .allSatisfy(line -> assertThat(line).contains("tern.infinispan.username")
                        .doesNotContain("not-the-password"));
        assertThat(lines).as("no stack traces, no continuation lines")
                .allMatch(line -> line.matches("\\d{4}-\\d{2}-\\d{2} .*"));
    }

    /**
     * The log without what the test kit wrote there: the file also gets the test JVM's own lines,
     * among them Testcontainers' Docker probe (an error with continuation lines, there being no
     * Docker here), which are not the service's.
     */
    private static List<String> logLines() {
        try {
            List<String> all = Files.exists(LOG) ? Files.readAllLines(LOG) : List.of();
            List<String> service = new java.util.ArrayList<>();
            boolean testKit = false;
            for (String line : all) {
                if (line.matches("\\d{4}-\\d{2}-\\d{2} .*")) {
                    testKit = line.contains("[org.tes");
                }
                if (!testKit) {
                    service.add(line);
                }
            }
            return service;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
