package dev.tern.bounce.suppression;

import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.common.suppression.InfinispanSuppressionList;
import dev.tern.common.suppression.SuppressionList;
import dev.tern.local.runtime.EmbeddedCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract against a real Infinispan server (the JVM-wide shared local cluster). */
class InfinispanSuppressionListIT implements SuppressionListContract {

    private static RemoteCacheManager manager;
    private static InfinispanSuppressionList list;

    @BeforeAll
    static void connect() {
        manager = InfinispanClient.create(EmbeddedCluster.shared().infinispanHosts());
        list = new InfinispanSuppressionList(manager, "tern-suppression-contract", Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        manager.stop();
    }

    @Override
    public SuppressionList list() {
        return list;
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public void pass(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
