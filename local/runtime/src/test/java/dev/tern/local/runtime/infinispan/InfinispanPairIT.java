package dev.tern.local.runtime.infinispan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.infinispan.client.hotrod.RemoteCache;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.client.hotrod.configuration.ConfigurationBuilder;
import org.infinispan.commons.configuration.StringConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two servers clustered over JGroups on loopback: an entry written through one survives the other's SIGKILL. */
class InfinispanPairIT {

    @TempDir
    Path dataDir;

    @Test
    void keepsEntriesWhenEitherMemberIsKilledAndTheMemberRejoins() {
        try (InfinispanPair pair = InfinispanPair.start(dataDir, List.of(0, 0))) {
            assertThat(pair.hosts().split(";")).hasSize(2);
            String xml = "<distributed-cache name=\"ha\" mode=\"SYNC\" owners=\"2\">"
                    + "<encoding media-type=\"application/x-protostream\"/></distributed-cache>";
            // Written through member 1 alone, read through member 2 alone: the data crossed the JGroups link.
            try (RemoteCacheManager first = client(pair.member(1).port())) {
                RemoteCache<String, String> cache = first.administration().getOrCreateCache("ha",
                        new StringConfiguration(xml));
                for (int i = 0; i < 100; i++) {
                    cache.put("k" + i, "v" + i);
                }
            }
            try (RemoteCacheManager second = client(pair.member(2).port())) {
                assertThat(second.<String, String>getCache("ha").get("k42")).isEqualTo("v42");
            }

            pair.kill(1);
            try (RemoteCacheManager both = new RemoteCacheManager(hosts(pair.hosts()).build())) {
                RemoteCache<String, String> cache = both.getCache("ha");
                for (int i = 0; i < 100; i++) {
                    assertThat(cache.get("k" + i)).isEqualTo("v" + i);
                }
                cache.put("after-kill", "yes");
            }

            pair.restart(1);
            pair.kill(2);
            try (RemoteCacheManager first = client(pair.member(1).port())) {
                RemoteCache<String, String> cache = first.getCache("ha");
                assertThat(cache.get("after-kill")).isEqualTo("yes");
                assertThat(cache.get("k99")).isEqualTo("v99");
            }
        }
    }

    private static RemoteCacheManager client(int port) {
        ConfigurationBuilder config = InfinispanServer.clientConfig(port);
        return new RemoteCacheManager(config.build());
    }

    private static ConfigurationBuilder hosts(String hosts) {
        ConfigurationBuilder config = new ConfigurationBuilder().addServers(hosts);
        config.connectionTimeout(2_000).socketTimeout(10_000);
        return config;
    }
}
