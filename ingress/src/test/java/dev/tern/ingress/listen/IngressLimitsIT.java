package dev.tern.ingress.listen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.RawSmtpClient;
import dev.tern.local.testkit.TernClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Connection-level defences with a profile that turns them up: a greeting delay (early talkers),
 * a per-IP cap, short idle timeouts, and the PROXY protocol as behind a TCP load balancer.
 */
@QuarkusTest
@TestProfile(IngressLimitsIT.Limits.class)
@QuarkusTestResource(value = TernClusterResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "topics", value = "tern.inbound:2"))
class IngressLimitsIT {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tern.ingress.limits.greeting-delay", "700ms",
                    "tern.ingress.limits.max-connections-per-ip", "3",
                    "tern.ingress.limits.idle-timeout", "2s",
                    "tern.ingress.proxy-protocol", "true");
        }
    }

    private static final String PROXY_V1 = "PROXY TCP4 198.51.100.7 192.0.2.1 40000 25\r\n";

    @Inject
    SmtpListeners listeners;

    private RawSmtpClient proxied() {
        return new RawSmtpClient("127.0.0.1", listeners.port(Listener.SMTP)).send(PROXY_V1);
    }

    @Test
    void earlyTalkerIsRefusedAndDisconnected() {
        try (var c = proxied()) {
            c.send("EHLO impatient.test\r\n");
            String reply = c.reply();
            assertThat(reply).startsWith("554 5.5.1");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void patientClientIsGreetedAfterTheDelayAndSeenWithItsProxiedAddress() {
        try (var c = proxied()) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("EHLO patient.test")).startsWith("250");
            assertThat(c.command("MAIL FROM:<a@sender.test>")).startsWith("250");
            // 198.51.100.7 (from the PROXY header) is not trusted: relaying is refused.
            assertThat(c.command("RCPT TO:<x@elsewhere.test>")).startsWith("554 5.7.1");
        }
    }

    @Test
    void perIpConnectionCapAnswers421() {
        List<RawSmtpClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                var c = proxied();
                assertThat(c.reply()).startsWith("220 ");
                open.add(c);
            }
            try (var fourth = proxied()) {
                assertThat(fourth.reply()).startsWith("421 4.7.0");
                assertThat(fourth.closedByServer()).isTrue();
            }
        } finally {
            open.forEach(RawSmtpClient::close);
        }
    }

    @Test
    void idleClientIsTimedOutWith421() {
        try (var c = proxied()) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.reply()).startsWith("421 4.4.2");
            assertThat(c.closedByServer()).isTrue();
        }
    }
}
