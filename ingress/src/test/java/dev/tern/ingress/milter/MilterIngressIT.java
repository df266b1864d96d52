package dev.tern.ingress.milter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.config.TernConfig;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.RecordCodec;
import dev.tern.common.queue.Topics;
import dev.tern.ingress.InboundTopic;
import dev.tern.ingress.listen.Listener;
import dev.tern.ingress.listen.SmtpListeners;
import dev.tern.local.testkit.RawSmtpClient;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.local.testkit.milter.ClamavMilter;
import dev.tern.local.testkit.milter.Rspamd;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The real ingress with real rspamd and clamav-milter in its policy: GTUBE and EICAR refused at
 * the end of DATA with the scanners' replies, clean mail queued on tern.inbound with rspamd's
 * headers, and mail rspamd scores at or over the quarantine score held on tern.quarantine.
 */
@QuarkusTest
@QuarkusTestResource(value = TernClusterResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "topics", value = "tern.inbound:1,tern.quarantine:1"))
@QuarkusTestResource(value = ScannersResource.class, restrictToAnnotatedClass = true)
class MilterIngressIT {

    @Inject
    SmtpListeners listeners;

    @Inject
    TernConfig tern;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    private String send(String subject, String body) {
        return send(subject, "", body);
    }

    private String send(String subject, String headers, String body) {
        try (var c = new RawSmtpClient("127.0.0.1", listeners.port(Listener.SMTP), 180_000)) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("EHLO client.example.net")).startsWith("250");
            assertThat(c.command("MAIL FROM:<alice@example.net>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@example.org>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            return c.command(headers + "From: Alice <alice@example.net>\r\nTo: bob@example.org\r\nSubject: " + subject
                    + "\r\nMessage-ID: <" + UUID.randomUUID() + "@example.net>\r\n\r\n" + body + "\r\n.");
        }
    }

    @Test
    void gtubeIsRefusedAtTheEndOfDataWithRspamdsReply() {
        String reply = send("gtube", MilterChainIT.GTUBE);
        assertThat(reply).startsWith("554 5.7.1").containsIgnoringCase("gtube");
    }

    @Test
    void eicarIsRefusedNamingTheSignature() {
        String reply = send("virus", "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n",
                "--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--b1\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                        + Base64.getMimeEncoder().encodeToString(ClamavMilter.EICAR.getBytes(StandardCharsets.US_ASCII))
                        + "\r\n--b1--");
        assertThat(reply).startsWith("5").contains(ClamavMilter.SIGNATURE);
    }

    @Test
    void cleanMailIsQueuedWithRspamdsHeaders() throws IOException {
        String marker = UUID.randomUUID().toString();
        assertThat(send("lunch", "Lunch on Friday? " + marker)).startsWith("250 2.0.0");
        QueuedMessage m = InboundTopic.find(tern.kafka().bootstrapServers(),
                q -> new String(q.body(), StandardCharsets.UTF_8).contains(marker), 1, Duration.ofSeconds(30)).get(0);
        assertThat(new String(m.body(), StandardCharsets.UTF_8)).contains("\r\nX-Spamd-Result: ")
                .startsWith("Received: ");
        assertThat(metricsText()).contains("tern_ingress_milter_actions_total{action=\"accept\",milter=\"rspamd\"")
                .contains("tern_ingress_milter_seconds_count{milter=\"clamav\"");
    }

    @Test
    void mailScoredAtTheQuarantineScoreIsHeldOnTheQuarantineTopic() {
        String marker = UUID.randomUUID().toString();
        assertThat(send("offer " + Rspamd.SCORE_MARKER, "Cheap offer " + marker)).startsWith("250 2.0.0");
        var held = quarantined(marker);
        assertThat(held).hasSize(1);
        String reason = new String(held.get(0).headers().lastHeader(RecordCodec.QUARANTINE_REASON).value(),
                StandardCharsets.UTF_8);
        assertThat(reason).startsWith("rspamd score ").endsWith(">= 7.0");
        assertThat(InboundTopic.find(tern.kafka().bootstrapServers(),
                q -> new String(q.body(), StandardCharsets.UTF_8).contains(marker), 1, Duration.ofSeconds(2)))
                .as("held, not queued for delivery").isEmpty();
    }

    private List<ConsumerRecord<String, byte[]>> quarantined(String marker) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, tern.kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        var found = new ArrayList<ConsumerRecord<String, byte[]>>();
        try (var consumer = new KafkaConsumer<String, byte[]>(props)) {
            var partitions = consumer.partitionsFor(Topics.QUARANTINE).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.isEmpty() && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(300))) {
                    if (new String(r.value(), StandardCharsets.UTF_8).contains(marker)) {
                        found.add(r);
                    }
                }
            }
        }
        return found;
    }

    private String metricsText() throws IOException {
        try (InputStream in = metrics.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
