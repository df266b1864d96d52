package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaOptionsTest {

    private final LocalOptions defaults = LocalOptions.defaults(Path.of("/repo"));

    @Test
    void withoutHaNothingChanges() {
        LocalOptions o = TernLocal.parse(new String[] {"--wipe"}, defaults);
        assertThat(o.isHa()).isFalse();
        assertThat(o.kafkaPort()).isEqualTo(9092);
    }

    @Test
    void haAddsTwoKafkaNodesOneInfinispanServerAndASecondHttpPortPerService() {
        LocalOptions o = TernLocal.parse(new String[] {"--ha"}, defaults);
        assertThat(o.isHa()).isTrue();
        assertThat(o.ha().kafkaPorts()).containsExactly(9092, 9093, 9094);
        assertThat(o.ha().infinispanPorts()).containsExactly(11222, 11223);
        assertThat(List.of(o.ha().secondHttpPort(Service.INGRESS), o.ha().secondHttpPort(Service.DELIVERY),
                o.ha().secondHttpPort(Service.BOUNCE))).containsExactly(8084, 8085, 8086);
        assertThat(o.smtpPort()).as("the second ingress shares the SMTP ports on 127.0.0.2").isEqualTo(2525);
    }

    @Test
    void observeScrapesTheSecondInstancesToo() {
        LocalOptions o = TernLocal.parse(new String[] {"--ha", "--observe"}, defaults);
        var seconds = List.of(new LocalCluster.Replica(Service.INGRESS, "ingress-2", 8084, 2525, null),
                new LocalCluster.Replica(Service.DELIVERY, "delivery-2", 8085, 0, null));
        assertThat(LocalCluster.scrapeTargets(o, seconds)).containsExactly(Map.entry("ingress", 8081),
                Map.entry("delivery", 8082), Map.entry("bounce", 8083), Map.entry("ingress-2", 8084),
                Map.entry("delivery-2", 8085));
    }

    @Test
    void thePortOffsetMovesTheHaPortsWhicheverOrderTheOptionsCome() {
        LocalOptions before = TernLocal.parse(new String[] {"--port-offset", "10", "--ha"}, defaults);
        LocalOptions after = TernLocal.parse(new String[] {"--ha", "--port-offset", "10"}, defaults);
        assertThat(before.ha()).isEqualTo(after.ha());
        assertThat(after.ha().kafkaPorts()).containsExactly(9102, 9103, 9104);
        assertThat(after.ha().infinispanPorts()).containsExactly(11232, 11233);
        assertThat(after.ha().secondHttpPort(Service.DELIVERY)).isEqualTo(8095);
    }
}
