package dev.tern.ingress.trust.dnsbl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class DnsblNamesTest {

    @Test
    void reversesTheOctetsOfAnIpv4Address() throws Exception {
        assertThat(DnsblNames.query(InetAddress.getByName("192.0.2.99"), "bl.example"))
                .isEqualTo("99.2.0.192.bl.example");
    }

    @Test
    void reversesTheNibblesOfAnIpv6AddressAsRfc5782Shows() throws Exception {
        // RFC 5782 §2.4's example.
        assertThat(DnsblNames.query(InetAddress.getByName("2001:db8:1:2:3:4:567:89ab"), "ugly.example.com"))
                .isEqualTo("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example.com");
    }

    @Test
    void asksAboutTheIpv4AddressOfAnIpv4MappedClient() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[15] = 7;
        // getByAddress would itself unmap; an Inet6Address built with a scope keeps the 16 bytes.
        InetAddress client = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertThat(client.getAddress()).hasSize(16);
        assertThat(DnsblNames.reversed(client)).isEqualTo("7.0.0.192");
    }

    @Test
    void acceptsZonesWithTheFinalDotAndInAnyCase() throws Exception {
        assertThat(DnsblNames.query(InetAddress.getByName("127.0.0.2"), " Zen.Example. "))
                .isEqualTo("2.0.0.127.zen.example");
    }
}
