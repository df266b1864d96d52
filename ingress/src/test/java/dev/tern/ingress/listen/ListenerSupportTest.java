package dev.tern.ingress.listen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client address decides relay trust, and loopback is trusted: an address that cannot be read
 * must be refused, never taken for loopback (nor looked up in DNS on the event loop).
 */
class ListenerSupportTest {

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1", "127.0.0.1", "2001:db8::1", "::1", "0:0:0:0:0:0:0:1"})
    void readsAddressLiterals(String ip) throws Exception {
        assertThat(ListenerSupport.inet(ip)).isEqualTo(InetAddress.getByName(ip));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "unknown", "256.0.0.1", "192.0.2", "mail.example.org", "zz::1"})
    void refusesAnythingElseNamingTheValue(String ip) {
        assertThatThrownBy(() -> ListenerSupport.inet(ip))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + ip + "' is not an IP address");
    }
}
