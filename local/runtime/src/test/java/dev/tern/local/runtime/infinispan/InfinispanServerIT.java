package dev.tern.local.runtime.infinispan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.infinispan.client.hotrod.MetadataValue;
import org.infinispan.client.hotrod.RemoteCache;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.client.hotrod.configuration.ConfigurationBuilder;
import org.infinispan.commons.configuration.StringConfiguration;
import org.infinispan.counter.api.CounterConfiguration;
import org.infinispan.counter.api.CounterManager;
import org.infinispan.counter.api.CounterType;
import org.infinispan.counter.api.StrongCounter;
import org.infinispan.client.hotrod.RemoteCounterManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tern.local.runtime.EmbeddedCluster;

class InfinispanServerIT {

    /** The JVM-wide shared cluster (the test kit's extension hands out the same one). */
    private final EmbeddedCluster cluster = EmbeddedCluster.shared();

    private RemoteCacheManager client;

    @BeforeEach
    void connect() {
        ConfigurationBuilder config = new ConfigurationBuilder();
        config.addServers(cluster.infinispanHosts());
        client = new RemoteCacheManager(config.build());
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void strongCounterIncrementsAndComparesAndSets() throws Exception {
        CounterManager counters = RemoteCounterManagerFactory.asCounterManager(client);
        String name = "sends-" + UUID.randomUUID();
        counters.defineCounter(name, CounterConfiguration.builder(CounterType.UNBOUNDED_STRONG).initialValue(10).build());
        StrongCounter counter = counters.getStrongCounter(name);

        assertThat(counter.incrementAndGet().get()).isEqualTo(11);
        assertThat(counter.compareAndSet(11, 20).get()).isTrue();
        assertThat(counter.compareAndSet(11, 30).get()).isFalse();
        assertThat(counter.getValue().get()).isEqualTo(20);
    }

    @Test
    void replaceWithVersionSucceedsOnceThenFailsWithTheStaleVersion() {
        RemoteCache<String, String> cache = client.administration().getOrCreateCache("leases",
                new StringConfiguration("<distributed-cache><encoding media-type=\"application/x-protostream\"/></distributed-cache>"));
        String key = "gmail.com-" + UUID.randomUUID();
        cache.put(key, "free");
        MetadataValue<String> read = cache.getWithMetadata(key);

        assertThat(cache.replaceWithVersion(key, "held-by-pod-1", read.getVersion())).isTrue();
        assertThat(cache.replaceWithVersion(key, "held-by-pod-2", read.getVersion())).isFalse();
        assertThat(cache.get(key)).isEqualTo("held-by-pod-1");
    }
}
