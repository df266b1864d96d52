package dev.tern.ingress.trust.recipients;

import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.local.testkit.TernClusterExtension;
import java.time.Duration;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@link CalloutCache} contract against the real Infinispan server of the shared test cluster. */
@ExtendWith(TernClusterExtension.class)
class InfinispanCalloutCacheIT implements CalloutCacheContract {

    private final RemoteCacheManager manager = InfinispanClient.create(TernClusterExtension.cluster().infinispanHosts());
    private final InfinispanCalloutCache cache = new InfinispanCalloutCache(manager, InfinispanCalloutCache.CACHE,
            Duration.ofSeconds(10));

    @Override
    public CalloutCache cache() {
        return cache;
    }

    @AfterEach
    void close() {
        manager.stop();
    }
}
