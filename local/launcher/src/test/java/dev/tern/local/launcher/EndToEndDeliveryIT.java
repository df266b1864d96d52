package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.smtp.SinkBehaviour;
import dev.tern.local.testkit.smtp.SinkReply;
import dev.tern.local.testkit.tools.DebianTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path with real programs: swaks (a real client) → ingress → Kafka → delivery → a real
 * SMTP server on loopback, including submission over STARTTLS with AUTH and the retry path.
 */
class EndToEndDeliveryIT {

    private static ClusterFixture fixture;

    @BeforeAll
    static void start() {
        fixture = ClusterFixture.start("[2s, 4s]", Map.of());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static int swaks(String... args) throws Exception {
        Path swaks = DebianTools.swaks();
        var command = new java.util.ArrayList<>(List.of(swaks.toString(), "--server", "127.0.0.1"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("swaks transcript").contains("250 2.0.0 Ok: queued as");
        return p.exitValue();
    }

    private static ReceivedMessage awaitAtSink(String marker, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ReceivedMessage m : fixture.sink.messages()) {
                if (m.bodyText().contains(marker)) {
                    return m;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no message with " + marker + " reached the sink within " + timeout);
    }

    @Test
    void swaksOverSubmissionWithStarttlsAndAuthReachesTheRemoteServer() throws Exception {
        String marker = UUID.randomUUID().toString();
        assertThat(swaks("--port", Integer.toString(fixture.submissionPort()), "--tls", "--auth", "PLAIN",
                "--auth-user", ClusterFixture.USER, "--auth-password", ClusterFixture.PASSWORD,
                "--from", "alice@example.org", "--to", "carol@remote.test", "--h-Subject", "e2e",
                "--body", marker)).isZero();
        ReceivedMessage m = awaitAtSink(marker, Duration.ofSeconds(30));
        assertThat(m.sender()).isEqualTo("alice@example.org");
        assertThat(m.recipients()).containsExactly("carol@remote.test");
        assertThat(m.bodyText()).contains("with ESMTPSA").containsOnlyOnce("Message-Id: <");
    }

    @Test
    void temporaryFailureIsRetriedFromTheRetryTierAndThenDelivered() throws Exception {
        String marker = UUID.randomUUID().toString();
        fixture.sink.behaviour(SinkBehaviour.failRecipientFirst(1, SinkReply.of(451, "4.3.0 try later")));
        try {
            long sent = System.nanoTime();
            assertThat(swaks("--port", Integer.toString(fixture.smtpPort()), "--from", "a@sender.test",
                    "--to", "retry-" + marker + "@remote.test", "--body", marker)).isZero();
            ReceivedMessage m = awaitAtSink(marker, Duration.ofSeconds(60));
            assertThat(m.recipients()).containsExactly("retry-" + marker + "@remote.test");
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("waited for the 2 s tier")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        } finally {
            fixture.sink.behaviour(SinkBehaviour.acceptAll());
        }
    }

    @Test
    void permanentFailureComesBackToTheSenderAsADeliveryStatusNotification() throws Exception {
        String marker = UUID.randomUUID().toString();
        String rejected = "gone-" + marker + "@remote.test";
        fixture.sink.behaviour(SinkBehaviour.rejectRecipients(rejected::equals,
                SinkReply.of(550, "5.1.1 no such user here")));
        try {
            assertThat(swaks("--port", Integer.toString(fixture.smtpPort()), "--from", "writer@sender.test",
                    "--to", rejected, "--body", marker)).isZero();
            ReceivedMessage dsn = awaitAtSink("report-type=delivery-status", Duration.ofSeconds(60));
            assertThat(dsn.sender()).isEmpty();
            assertThat(dsn.recipients()).containsExactly("writer@sender.test");
            assertThat(dsn.bodyText().replaceAll("\r\n[ \t]+", " ")).contains("Final-Recipient: rfc822; " + rejected)
                    .contains("Action: failed")
                    .contains("Status: 5.1.1").contains("550 5.1.1 no such user here");
        } finally {
            fixture.sink.behaviour(SinkBehaviour.acceptAll());
        }
    }

    @Test
    void runningServicesExportTheMetricsTheDashboardsUse() throws Exception {
        String marker = UUID.randomUUID().toString();
        swaks("--port", Integer.toString(fixture.smtpPort()), "--from", "a@sender.test", "--to", "m@remote.test",
                "--body", marker);
        awaitAtSink(marker, Duration.ofSeconds(30));
        var http = java.net.http.HttpClient.newHttpClient();
        Map<Service, List<String>> expected = Map.of(
                Service.INGRESS, List.of("tern_ingress_sessions_total", "tern_ingress_sessions_active",
                        "tern_ingress_commands_total{command=", "tern_ingress_replies_total{code_class=",
                        "tern_ingress_messages_accepted_total", "tern_ingress_bytes_total",
                        "tern_ingress_kafka_publish_seconds_bucket", "jvm_memory_used_bytes", "process_cpu_usage"),
                Service.DELIVERY, List.of("tern_delivery_attempts_total{", "tern_delivery_attempt_seconds_bucket",
                        "tern_delivery_inflight", "tern_delivery_connections_active", "jvm_memory_used_bytes"),
                Service.BOUNCE, List.of("tern_bounce_notices_total{", "tern_bounce_suppressed_total",
                        "process_cpu_usage"));
        for (var e : expected.entrySet()) {
            var uri = java.net.URI.create("http://127.0.0.1:" + fixture.cluster.options().httpPort(e.getKey()) + "/q/metrics");
            String text = http.send(java.net.http.HttpRequest.newBuilder(uri).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(text).as("%s /q/metrics", e.getKey()).contains(e.getValue());
        }
    }

    /** tern-local hands its generated operator token's tokens file to the services. */
    @Test
    void theAdminApiAnswersTheClustersGeneratedTokenOnly() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var uri = java.net.URI.create("http://127.0.0.1:" + fixture.cluster.options().httpPort(Service.DELIVERY)
                + "/admin/queues");
        String token = fixture.cluster.adminToken().token().orElseThrow();
        var anonymous = http.send(java.net.http.HttpRequest.newBuilder(uri).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        var operator = http.send(java.net.http.HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(operator.body()).contains("\"waiting\"");
    }
}
