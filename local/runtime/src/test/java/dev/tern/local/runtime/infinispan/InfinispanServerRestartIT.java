package dev.tern.local.runtime.infinispan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.client.hotrod.RemoteCounterManagerFactory;
import org.infinispan.counter.api.CounterConfiguration;
import org.infinispan.counter.api.CounterManager;
import org.infinispan.counter.api.CounterType;
import org.infinispan.counter.api.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfinispanServerRestartIT {

    @TempDir
    Path root;

    @Test
    void keepsAPersistentCounterAcrossARestartOnTheSameServerRoot() throws Exception {
        try (InfinispanServer server = InfinispanServer.start(root);
                RemoteCacheManager client = server.client()) {
            CounterManager counters = RemoteCounterManagerFactory.asCounterManager(client);
            counters.defineCounter("bounces", CounterConfiguration.builder(CounterType.UNBOUNDED_STRONG)
                    .storage(Storage.PERSISTENT).build());
            counters.getStrongCounter("bounces").addAndGet(42).get();
        }

        try (InfinispanServer restarted = InfinispanServer.start(root);
                RemoteCacheManager client = restarted.client()) {
            CounterManager counters = RemoteCounterManagerFactory.asCounterManager(client);
            assertThat(counters.isDefined("bounces")).isTrue();
            assertThat(counters.getStrongCounter("bounces").getValue().get()).isEqualTo(42);
        }
    }
}
