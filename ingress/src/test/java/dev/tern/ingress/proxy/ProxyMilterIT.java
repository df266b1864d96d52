package dev.tern.ingress.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.ingress.listen.Listener;
import dev.tern.ingress.listen.SmtpListeners;
import dev.tern.ingress.milter.ScannersResource;
import dev.tern.local.testkit.RawSmtpClient;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.local.testkit.milter.ClamavMilter;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The proxy listener with milters (docs/ARCHITECTURE.md, "SMTP proxy mode"): the real rspamd and
 * clamav-milter named by {@code tern.ingress.proxy.milters} run before the message goes to the
 * real Postfix upstream. GTUBE and EICAR get the scanners' refusals and never reach Postfix; clean
 * mail reaches Postfix's next hop with rspamd's header added on the way.
 */
@QuarkusTest
@TestProfile(ProxyMilterIT.WithMilters.class)
@QuarkusTestResource(value = TernClusterResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "topics", value = "tern.inbound:1"))
@QuarkusTestResource(value = ScannersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = PostfixUpstreamResource.class, restrictToAnnotatedClass = true)
class ProxyMilterIT {

    static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    /** The proxy runs both scanners of the policy ScannersResource writes. */
    public static class WithMilters implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tern.ingress.proxy.milters", "rspamd,clamav");
        }
    }

    @Inject
    SmtpListeners listeners;

    private String send(String headers, String body) {
        try (var c = new RawSmtpClient("127.0.0.1", listeners.port(Listener.PROXY), 180_000)) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("EHLO client.test")).startsWith("250");
            assertThat(c.command("MAIL FROM:<sender@client.test>")).startsWith("250 2.1.0");
            assertThat(c.command("RCPT TO:<alice@dest.test>")).startsWith("250 2.1.5");
            assertThat(c.command("DATA")).startsWith("354");
            return c.command(headers + "From: <sender@client.test>\r\nTo: <alice@dest.test>\r\nMessage-ID: <"
                    + UUID.randomUUID() + "@client.test>\r\n\r\n" + body + "\r\n.");
        }
    }

    @Test
    void gtubeAndEicarAreRefusedWithTheScannersRepliesAndNeverReachPostfix() throws Exception {
        String spam = UUID.randomUUID().toString();
        assertThat(send("Subject: gtube\r\n", GTUBE + "\r\n" + spam)).startsWith("554 5.7.1").containsIgnoringCase("gtube");
        String virus = UUID.randomUUID().toString();
        assertThat(send("Subject: virus\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n",
                "--b1\r\nContent-Type: text/plain\r\n\r\n" + virus + "\r\n--b1\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                        + Base64.getMimeEncoder().encodeToString(ClamavMilter.EICAR.getBytes(StandardCharsets.US_ASCII))
                        + "\r\n--b1--")).startsWith("5").contains(ClamavMilter.SIGNATURE);

        // A clean message after them: once Postfix has passed it on, the refused ones would have been there too.
        String clean = UUID.randomUUID().toString();
        assertThat(send("Subject: lunch\r\n", "Lunch on Friday? " + clean)).startsWith("250 2.0.0 Ok: queued as ");
        ReceivedMessage relayed = ProxyModeIT.awaitMessage(clean);
        assertThat(relayed.bodyText()).contains("X-Spamd-Result: ");
        assertThat(PostfixUpstreamResource.sink().messages()).noneMatch(m -> m.bodyText().contains(spam))
                .noneMatch(m -> m.bodyText().contains(virus));
    }
}
