package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.delivery.support.DeliveryTestResource.TestPorts;
import dev.tern.delivery.support.Eventually;
import dev.tern.delivery.support.QueueProbe;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.local.testkit.smtp.PostfixRelay;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.smtp.SmtpSink;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Smarthost routes with a user (docs/ARCHITECTURE.md, "Authenticated smarthost") against a real
 * Debian Postfix set up as an ISP-style submission relay with Cyrus SASL ({@link PostfixRelay}):
 * {@code auth.test} carries the right password and reaches the final sink behind the relay,
 * {@code badauth.test} a wrong one and is deferred with the relay's 535; {@code cleartext.test}
 * points at a relay that offers AUTH but not STARTTLS, which must never see an AUTH command.
 */
@QuarkusTest
@QuarkusTestResource(TernClusterResource.class)
@QuarkusTestResource(DeliveryTestResource.class)
class AuthenticatedSmarthostIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static SmtpSink finalSink;
    static PostfixRelay relay;
    static CleartextRelay cleartext;
    static QueueProbe queue;

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void start() throws IOException {
        finalSink = SmtpSink.builder().port(FreePorts.pick()).hostname("final.test").start();
        relay = PostfixRelay.start(TestPorts.relay(), DeliveryTestResource.RELAY_USER,
                DeliveryTestResource.RELAY_REALM, DeliveryTestResource.RELAY_PASSWORD, finalSink.port());
        cleartext = new CleartextRelay(TestPorts.cleartext());
        queue = new QueueProbe();
    }

    @AfterAll
    static void stop() throws IOException {
        queue.close();
        cleartext.close();
        relay.close();
        finalSink.close();
    }

    private static List<DeliveryEvent> events(String id) {
        return Eventually.await(Duration.ofSeconds(60), () -> queue.events(id), e -> !e.isEmpty());
    }

    private static List<ReceivedMessage> atFinalSink(String id) {
        return finalSink.messages().stream().filter(m -> m.bodyText().contains(id)).toList();
    }

    @Test
    void deliversThroughTheRelayAfterStartTlsAndAuthPlain() throws Exception {
        QueuedMessage m = QueueProbe.message("alice@sender.test", "bob@auth.test");
        queue.enqueue(m);

        var got = Eventually.await(Duration.ofSeconds(60), () -> atFinalSink(m.id()), l -> !l.isEmpty());

        assertThat(got).singleElement().satisfies(r -> {
            assertThat(r.sender()).isEqualTo("alice@sender.test");
            assertThat(r.recipients()).containsExactly("bob@auth.test");
        });
        assertThat(events(m.id()).get(0)).satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(e.tls()).startsWith("TLS");
            assertThat(e.destination()).isEqualTo("smtp://127.0.0.1:" + TestPorts.relay());
        });
        assertThat(relay.log()).as("Postfix saw our user, with the mechanism we prefer")
                .contains("sasl_method=PLAIN, sasl_username=" + DeliveryTestResource.RELAY_LOGIN);
    }

    @Test
    void defersWithTheRelaysReplyWhenThePasswordIsWrong() throws Exception {
        QueuedMessage m = QueueProbe.message("alice@sender.test", "carol@badauth.test");
        queue.enqueue(m);

        DeliveryEvent first = events(m.id()).get(0);

        assertThat(first.outcome()).isEqualTo(Outcome.DEFERRED);
        assertThat(first.replyCode()).isEqualTo(451);
        assertThat(first.replyText()).startsWith("4.7.8 Smarthost authentication failed: 535 5.7.8")
                .doesNotContain("not the password");
        assertThat(atFinalSink(m.id())).isEmpty();
        String metric = "tern_delivery_smarthost_auth_failures_total{destination_class=\"smtp://127.0.0.1:"
                + TestPorts.relay() + "\"}";
        assertThat(Eventually.await(Duration.ofSeconds(10), this::metrics, text -> text.contains(metric)))
                .contains(metric).doesNotContain("not the password");
    }

    @Test
    void neverSendsCredentialsToARelayWithoutStartTls() throws Exception {
        QueuedMessage m = QueueProbe.message("alice@sender.test", "dave@cleartext.test");
        queue.enqueue(m);

        DeliveryEvent first = events(m.id()).get(0);

        assertThat(first.outcome()).isEqualTo(Outcome.DEFERRED);
        assertThat(first.replyText())
                .isEqualTo("4.7.4 Smarthost does not offer STARTTLS; refusing to send credentials in clear");
        String encoded = Base64.getEncoder().encodeToString(
                DeliveryTestResource.RELAY_PASSWORD.getBytes(StandardCharsets.UTF_8));
        assertThat(cleartext.lines).as("the relay heard EHLO").anyMatch(l -> l.startsWith("EHLO "));
        assertThat(cleartext.lines).noneMatch(l -> l.toUpperCase().startsWith("AUTH"))
                .noneMatch(l -> l.contains(encoded) || l.contains(DeliveryTestResource.RELAY_PASSWORD));
    }

    private String metrics() {
        try {
            return HTTP.send(HttpRequest.newBuilder(base.resolve("/q/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * A relay that advertises AUTH but not STARTTLS, as a misconfigured smarthost would, and keeps
     * every line its clients send; it answers EHLO and QUIT and refuses the rest.
     */
    static final class CleartextRelay implements AutoCloseable {

        final List<String> lines = new CopyOnWriteArrayList<>();
        private final ServerSocket server;

        CleartextRelay(int port) throws IOException {
            server = new ServerSocket(port, 16, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::serve, "cleartext-relay");
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    converse(s);
                } catch (IOException e) {
                    // The next connection starts afresh; a closed server ends the loop.
                }
            }
        }

        private void converse(Socket s) throws IOException {
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            out.write("220 cleartext.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                String reply = switch (verb) {
                    case "EHLO" -> "250-cleartext.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n";
                    case "QUIT" -> "221 2.0.0 Bye\r\n";
                    default -> "502 5.5.2 Not here\r\n";
                };
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                if (verb.equals("QUIT")) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
