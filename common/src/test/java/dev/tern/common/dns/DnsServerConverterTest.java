package dev.tern.common.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.common.config.TernConfig;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import io.quarkus.runtime.configuration.DurationConverter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DnsServerConverterTest {

    @Test
    void readsHostAndPort() {
        assertThat(DnsServerConverter.parse("127.0.0.1:5353")).isEqualTo(new InetSocketAddress("127.0.0.1", 5353));
        assertThat(DnsServerConverter.parse(" 127.0.0.2 ")).isEqualTo(new InetSocketAddress("127.0.0.2", 53));
        assertThat(DnsServerConverter.parse("[::1]:5300")).isEqualTo(new InetSocketAddress("::1", 5300));
        assertThat(DnsServerConverter.parse("[::1]")).isEqualTo(new InetSocketAddress("::1", 53));
    }

    @Test
    void refusesMalformedEntriesNamingTheKey() {
        for (String bad : List.of("127.0.0.1:x", "127.0.0.1:0", "127.0.0.1:70000", ":53", "::1:53", "[::1", "")) {
            assertThatThrownBy(() -> DnsServerConverter.parse(bad)).as(bad)
                    .hasMessageStartingWith("tern.dns.servers: ");
        }
    }

    @Test
    void theConfigMappingReadsAListAndFailsOnABadEntry() {
        assertThat(mapping(Map.of("tern.dns.servers", "127.0.0.1:5353,127.0.0.2")).dns().servers()).contains(
                List.of(new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress("127.0.0.2", 53)));
        assertThat(mapping(Map.of()).dns().servers()).isEmpty();
        assertThatThrownBy(() -> mapping(Map.of("tern.dns.servers", "127.0.0.1:fiftythree")))
                .hasStackTraceContaining("tern.dns.servers");
    }

    /** Quarkus's duration syntax ("5s", "1h"), as the services read it. */
    private static TernConfig mapping(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(TernConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new MapBackedConfigSource("test", values) {
                }).build();
        return config.getConfigMapping(TernConfig.class);
    }
}
