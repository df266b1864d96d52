package dev.tern.ingress.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.ingress.listen.Listener;
import dev.tern.ingress.listen.SmtpListeners;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.RawSmtpClient;
import dev.tern.local.testkit.TernClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The proxy with nothing listening upstream: nothing is queued, the client is told to retry. */
@QuarkusTest
@TestProfile(ProxyUpstreamDownIT.NobodyUpstream.class)
@QuarkusTestResource(value = TernClusterResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "topics", value = "tern.inbound:2"))
class ProxyUpstreamDownIT {

    public static class NobodyUpstream implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tern.ingress.proxy.listen", "0",
                    "tern.ingress.proxy.upstream", "smtp://" + FreePorts.LOOPBACK + ":" + FreePorts.pick());
        }
    }

    @Inject
    SmtpListeners listeners;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Test
    void anUnreachableUpstreamGives451AndNeverA250() throws Exception {
        try (var c = new RawSmtpClient("127.0.0.1", listeners.port(Listener.PROXY))) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("EHLO client.test")).isEqualTo("451 4.4.1 Upstream unavailable, try again later\r\n");
            assertThat(c.command("HELO client.test")).startsWith("451 4.4.1");
            assertThat(c.command("QUIT")).startsWith("221");
        }
        String text;
        try (InputStream in = metrics.openStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(text).contains("tern_ingress_proxy_upstream_failures_total{stage=\"connect\"");
    }
}
