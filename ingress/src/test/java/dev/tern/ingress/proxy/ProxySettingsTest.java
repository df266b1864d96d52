package dev.tern.ingress.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.ingress.config.IngressConfig;
import dev.tern.smtp.client.TlsPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {

    private record Config(Optional<String> upstream, String upstreamTls, Optional<List<String>> milters)
            implements IngressConfig.Proxy {
        @Override
        public int listen() {
            return 0;
        }

        @Override
        public Duration connectTimeout() {
            return Duration.ofSeconds(30);
        }

        @Override
        public Duration replyTimeout() {
            return Duration.ofMinutes(5);
        }
    }

    private static ProxySettings read(String upstream, String tls) {
        return ProxySettings.from(new Config(Optional.ofNullable(upstream), tls, Optional.of(List.of("rspamd"))));
    }

    @Test
    void readsHostPortTlsAndMilterNames() {
        var s = read("smtp://mail.example.test:2525", "verify");
        assertThat(s.host()).isEqualTo("mail.example.test");
        assertThat(s.port()).isEqualTo(2525);
        assertThat(s.tlsPolicy()).isEqualTo(TlsPolicy.REQUIRED);
        assertThat(s.verifyTls()).isTrue();
        assertThat(s.milters()).containsExactly("rspamd");
        assertThat(read("smtp://[::1]", "opportunistic").upstream()).isEqualTo("[::1]:25");
    }

    @Test
    void aBadValueFailsNamingItsKey() {
        assertThatThrownBy(() -> read(null, "none")).hasMessageStartingWith("tern.ingress.proxy.upstream:");
        assertThatThrownBy(() -> read("http://x:25", "none")).hasMessageStartingWith("tern.ingress.proxy.upstream:");
        assertThatThrownBy(() -> read("smtp://x:25/path", "none")).hasMessageStartingWith("tern.ingress.proxy.upstream:");
        assertThatThrownBy(() -> read("smtp://x:25", "maybe")).hasMessageStartingWith("tern.ingress.proxy.upstream-tls:");
    }
}
