package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.runtime.kafka.SecuredListeners;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.smtp.SinkBehaviour;
import dev.tern.local.testkit.smtp.SinkReply;
import dev.tern.local.testkit.tls.SecuredInfinispan;
import dev.tern.local.testkit.tls.TestPki;
import dev.tern.local.testkit.tools.DebianTools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline over a secured Kafka and a secured Infinispan (docs/ARCHITECTURE.md, "Kafka
 * security", "Infinispan security"), the services configured only through
 * {@code tern.kafka.properties.*} and {@code tern.infinispan.*}: ingress and delivery authenticate
 * to Kafka with SCRAM-SHA-512 over {@code SASL_SSL} (PEM truststore), bounce with a client
 * certificate over {@code SSL} (PKCS12 keystore); all three reach Infinispan over TLS (PEM CA) as a
 * SCRAM user with only the {@code deployer} role, and delivery's and bounce's readiness needs it.
 * One broker and one secured Infinispan for the class; the broker's PLAINTEXT listener only makes
 * topics, and the local cluster's own plain Infinispan is not used by the services.
 */
class SecuredBackendsEndToEndIT {

    private static final String SCRAM_PASSWORD = "scram-e2e-pass";
    private static final String JAAS = "tern.kafka.properties.sasl.jaas.config";

    @TempDir
    static Path pkiDir;

    private static ClusterFixture fixture;
    private static SecuredInfinispan infinispan;
    private static int saslSslPort;

    @BeforeAll
    static void start() {
        TestPki pki = TestPki.create(pkiDir);
        saslSslPort = FreePorts.pick();
        int sslPort = FreePorts.pick();
        var secured = new SecuredListeners(pki.server("kafka"), pki.truststore(), TestPki.PASSWORD,
                Map.of("tern", SCRAM_PASSWORD), saslSslPort, sslPort);
        infinispan = SecuredInfinispan.start();
        Map<String, String> hotRod = Map.of(
                "tern.infinispan.hosts", infinispan.hosts(),
                "tern.infinispan.username", SecuredInfinispan.TERN_USER,
                "tern.infinispan.password", SecuredInfinispan.PASSWORD,
                "tern.infinispan.sasl-mechanism", "SCRAM-SHA-512",
                "tern.infinispan.tls.enabled", "true",
                "tern.infinispan.tls.truststore", infinispan.pki().caPem().toString());
        Map<String, String> scram = with(scram(pki, SCRAM_PASSWORD), hotRod);
        Map<String, String> mtls = with(hotRod, Map.of(
                "tern.kafka.bootstrap-servers", "127.0.0.1:" + sslPort,
                "tern.kafka.properties.security.protocol", "SSL",
                "tern.kafka.properties.ssl.keystore.type", "PKCS12",
                "tern.kafka.properties.ssl.keystore.location", pki.client("bounce", "tern-bounce").toString(),
                "tern.kafka.properties.ssl.keystore.password", TestPki.PASSWORD,
                "tern.kafka.properties.ssl.truststore.type", "PEM",
                "tern.kafka.properties.ssl.truststore.location", pki.caPem().toString()));
        fixture = ClusterFixture.start("[2s, 4s]", Map.of(), secured,
                Map.of(Service.INGRESS, scram, Service.DELIVERY, scram, Service.BOUNCE, mtls));
    }

    private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        var all = new java.util.HashMap<>(a);
        all.putAll(b);
        return all;
    }

    private static Map<String, String> scram(TestPki pki, String password) {
        return Map.of(
                "tern.kafka.bootstrap-servers", "127.0.0.1:" + saslSslPort,
                "tern.kafka.properties.security.protocol", "SASL_SSL",
                "tern.kafka.properties.sasl.mechanism", "SCRAM-SHA-512",
                JAAS, jaas(password),
                "tern.kafka.properties.ssl.truststore.type", "PEM",
                "tern.kafka.properties.ssl.truststore.location", pki.caPem().toString());
    }

    private static String jaas(String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"tern\" password=\""
                + password + "\";";
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
        if (infinispan != null) {
            infinispan.close();
        }
    }

    private static void swaks(String... args) throws Exception {
        var command = new ArrayList<>(List.of(DebianTools.swaks().toString(), "--server", "127.0.0.1",
                "--port", Integer.toString(fixture.smtpPort())));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("swaks transcript").contains("250 2.0.0 Ok: queued as");
    }

    private static ReceivedMessage awaitAtSink(String marker) throws InterruptedException {
        return fixture.sink.awaitMessage(m -> m.bodyText().contains(marker), Duration.ofSeconds(60));
    }

    @Test
    void deliveryAndBounceAreReadyOnTheSecuredInfinispan() throws Exception {
        var http = HttpClient.newHttpClient();
        for (Service s : List.of(Service.DELIVERY, Service.BOUNCE)) {
            var ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + fixture.cluster.options().httpPort(s) + "/q/health/ready")).build();
            var response = http.send(ready, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).as(s.module()).contains("\"infinispan\": \"up\"");
        }
    }

    @Test
    void mailIsAcceptedQueuedAndDeliveredThroughTheSecuredBroker() throws Exception {
        String marker = UUID.randomUUID().toString();
        swaks("--from", "a@sender.test", "--to", "carol@remote.test", "--body", marker);
        ReceivedMessage m = awaitAtSink(marker);
        assertThat(m.recipients()).containsExactly("carol@remote.test");
    }

    @Test
    void aRejectedRecipientBouncesThroughTheBounceServiceOnMutualTls() throws Exception {
        String marker = UUID.randomUUID().toString();
        String rejected = "gone-" + marker + "@remote.test";
        fixture.sink.behaviour(SinkBehaviour.rejectRecipients(rejected::equals,
                SinkReply.of(550, "5.1.1 no such user here")));
        try {
            swaks("--from", "writer@sender.test", "--to", rejected, "--body", marker);
            ReceivedMessage dsn = awaitAtSink("Final-Recipient: rfc822; " + rejected);
            assertThat(dsn.sender()).isEmpty();
            assertThat(dsn.recipients()).containsExactly("writer@sender.test");
            assertThat(dsn.bodyText()).contains("report-type=delivery-status", "Status: 5.1.1");
        } finally {
            fixture.sink.behaviour(SinkBehaviour.acceptAll());
        }
    }

    @Test
    void aWrongScramPasswordLeavesTheServiceUpButNotReadyWithOneClearLogLine() throws Exception {
        var replica = fixture.cluster.startReplica(Service.DELIVERY, "delivery-wrong-password",
                Map.of(JAAS, jaas("not-the-password")));
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.httpPort() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10)).build();
        // Several probes, each a failed authentication of the admin client, while the consumers,
        // producer and pod counter fail theirs on every reconnect.
        int refused = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (refused < 8 && System.nanoTime() < deadline) {
            assertThat(replica.process().isAlive()).as("the service stays up").isTrue();
            try {
                var response = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.body().contains("authentication failed")) {
                    assertThat(response.statusCode()).isEqualTo(503);
                    refused++;
                } else {
                    assertThat(response.statusCode()).as(response.body()).isNotEqualTo(200);
                }
            } catch (java.io.IOException e) {
                // Not listening yet.
            }
            Thread.sleep(500);
        }
        assertThat(refused).as("readiness said the authentication failed").isEqualTo(8);
        assertThat(replica.process().isAlive()).isTrue();

        String log = Files.readString(replica.process().logFile());
        assertThat(log.lines().filter(l -> l.contains("Kafka refused this service's credentials")))
                .as(log).hasSize(1)
                .allSatisfy(l -> assertThat(l).contains("SaslAuthenticationException", "SCRAM-SHA-512"));
        assertThat(log).doesNotContain("failed authentication due to", "\tat org.apache.kafka",
                "not-the-password");
        fixture.cluster.kill(replica);
    }
}
