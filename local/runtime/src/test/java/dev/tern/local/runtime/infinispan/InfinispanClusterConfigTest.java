package dev.tern.local.runtime.infinispan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class InfinispanClusterConfigTest {

    private final InfinispanClusterConfig second = new InfinispanClusterConfig(17801, List.of(17800, 17801));

    @Test
    void bindsTheTransportToLoopbackOnThisMembersFixedPort() throws Exception {
        Element tcp = only(parse(second.render()), "TCP");
        assertThat(tcp.getAttribute("bind_addr")).isEqualTo("127.0.0.1");
        assertThat(tcp.getAttribute("bind_port")).isEqualTo("17801");
        assertThat(tcp.getAttribute("port_range")).isEqualTo("0");
    }

    @Test
    void discoversEveryMemberByTcpPingInsteadOfMulticast() throws Exception {
        Document doc = parse(second.render());
        Element ping = only(doc, "TCPPING");
        assertThat(ping.getAttribute("initial_hosts")).isEqualTo("127.0.0.1[17800],127.0.0.1[17801]");
        assertThat(ping.getAttribute("stack.combine")).isEqualTo("REPLACE");
        assertThat(ping.getAttribute("stack.position")).isEqualTo("MPING");
        assertThat(doc.getElementsByTagName("MPING").getLength()).isZero();
        assertThat(doc.getElementsByTagName("UDP").getLength()).isZero();
        assertThat(second.render()).doesNotContain("mcast");
    }

    @Test
    void suspectsAKilledMemberByHeartbeatWithinSeconds() throws Exception {
        Document doc = parse(second.render());
        assertThat(only(doc, "FD_SOCK2").getAttribute("stack.combine")).isEqualTo("REMOVE");
        Element fd = only(doc, "FD_ALL3");
        assertThat(Integer.parseInt(fd.getAttribute("timeout"))).isLessThanOrEqualTo(10_000);
        assertThat(Integer.parseInt(fd.getAttribute("interval"))).isLessThan(Integer.parseInt(fd.getAttribute("timeout")));
    }

    @Test
    void definesTheStackTheServerConfigSelectsByProperty() throws Exception {
        Element stack = only(parse(second.render()), "stack");
        assertThat(stack.getAttribute("name")).isEqualTo(InfinispanClusterConfig.STACK);
        assertThat(stack.getAttribute("extends")).isEqualTo("tcp");
        try (InputStream in = InfinispanClusterConfig.class.getClassLoader().getResourceAsStream("tern/infinispan.xml")) {
            Element transport = only(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in), "transport");
            // Single-node servers keep their LOCAL_PING stack unless the property says otherwise.
            assertThat(transport.getAttribute("stack")).isEqualTo("${infinispan.cluster.stack:tern-loopback}");
        }
    }

    @Test
    void refusesMemberPortsWithoutItsOwn() {
        assertThatThrownBy(() -> new InfinispanClusterConfig(17802, List.of(17800, 17801)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("17802");
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element only(Document doc, String tag) {
        assertThat(doc.getElementsByTagName(tag).getLength()).as(tag).isEqualTo(1);
        return (Element) doc.getElementsByTagName(tag).item(0);
    }
}
