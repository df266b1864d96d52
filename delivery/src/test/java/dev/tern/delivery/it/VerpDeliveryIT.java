package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.feedback.VerpAddress;
import dev.tern.common.policy.PolicyHolder;
import dev.tern.common.queue.Provenance;
import dev.tern.common.queue.QueuedEnvelope;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.Schedule;
import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.delivery.support.QueueProbe;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.smtp.SmtpSink;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * VERP on the wire (docs/ARCHITECTURE.md, "Feedback loops and VERP"): with the policy's
 * {@code feedback.enabled}, a real SMTP server sees one transaction per recipient whose MAIL FROM
 * is that recipient's bounce address, and a null-sender message unchanged. The test turns the
 * section on in the module's live policy file and restores the file afterwards.
 */
@QuarkusTest
@QuarkusTestResource(TernClusterResource.class)
@QuarkusTestResource(DeliveryTestResource.class)
class VerpDeliveryIT {

    private static final String BOUNCE_DOMAIN = "bounce.test";
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    static SmtpSink sink;
    static QueueProbe queue;

    @Inject
    PolicyHolder policy;

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

    /** A queue id in ingress's format (26 characters of Crockford base32), which VERP addresses carry. */
    private static String queueId() {
        var random = new SecureRandom();
        var id = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            id.append(CROCKFORD[random.nextInt(32)]);
        }
        return id.toString();
    }

    private static QueuedMessage message(String id, String sender, String... recipients) {
        byte[] body = ("Message-ID: <" + id + "@test>\r\nSubject: verp " + id + "\r\n\r\nHello\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return new QueuedMessage(id, QueuedEnvelope.of(sender, List.of(recipients).stream().map(QueuedRecipient::of)
                .toList()), new Provenance("127.0.0.1", "client.test", null, null), Schedule.firstAttempt(Instant.now()),
                body);
    }

    private List<ReceivedMessage> received(String id, int count) throws InterruptedException {
        sink.awaitMessage(r -> r.bodyText().contains(id)
                && sink.messages().stream().filter(m -> m.bodyText().contains(id)).count() >= count, Duration.ofSeconds(30));
        return sink.messages().stream().filter(m -> m.bodyText().contains(id)).toList();
    }

    @Test
    void eachRecipientGetsItsOwnTransactionFromItsBounceAddress() throws Exception {
        Path file = Path.of(ConfigProvider.getConfig().getValue("tern.policy", String.class));
        String original = Files.readString(file);
        Files.writeString(file, original + "feedback:\n  enabled: true\n  bounce-domain: " + BOUNCE_DOMAIN + "\n");
        try {
            assertThat(policy.watcher().poll()).as("the policy with VERP on took effect").isTrue();
            assertThat(policy.current().feedback().enabled()).isTrue();

            String id = queueId();
            queue.enqueue(message(id, "alice@sender.test", "bob@relay.test", "carol+news@relay.test"));
            List<ReceivedMessage> got = received(id, 2);
            assertThat(got).hasSize(2).allSatisfy(r -> {
                assertThat(r.recipients()).hasSize(1);
                String rcpt = r.recipients().get(0);
                assertThat(r.sender()).endsWith("@" + BOUNCE_DOMAIN);
                assertThat(VerpAddress.decode("bounce", BOUNCE_DOMAIN, r.sender()))
                        .contains(new VerpAddress(id, Optional.of(rcpt)));
            });
            assertThat(got).flatExtracting(ReceivedMessage::recipients)
                    .containsExactlyInAnyOrder("bob@relay.test", "carol+news@relay.test");

            String dsn = queueId();
            queue.enqueue(message(dsn, "", "dave@relay.test", "erin@relay.test"));
            assertThat(received(dsn, 1)).singleElement().satisfies(r -> {
                assertThat(r.sender()).as("a null sender is never rewritten").isEmpty();
                assertThat(r.recipients()).containsExactlyInAnyOrder("dave@relay.test", "erin@relay.test");
            });
        } finally {
            Files.writeString(file, original);
            policy.watcher().poll();
        }
        assertThat(policy.current().feedback().enabled()).isFalse();
    }
}
