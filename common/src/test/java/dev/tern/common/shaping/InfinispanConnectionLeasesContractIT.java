package dev.tern.common.shaping;

import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.local.testkit.TernClusterExtension;
import java.util.ArrayList;
import java.util.List;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ConnectionLeasesContract} on {@link InfinispanConnectionLeases} against the real
 * Infinispan server of the shared test cluster; each client has its own Hot Rod connection pool.
 */
@ExtendWith(TernClusterExtension.class)
class InfinispanConnectionLeasesContractIT extends ConnectionLeasesContract {

    private final List<RemoteCacheManager> managers = new ArrayList<>();

    @Override
    protected ConnectionLeases newClient() {
        RemoteCacheManager manager = InfinispanClient.create(TernClusterExtension.cluster().infinispanHosts());
        managers.add(manager);
        return new InfinispanConnectionLeases(manager, InfinispanConnectionLeases.CACHE, "pod-" + managers.size());
    }

    @AfterEach
    void close() {
        managers.forEach(RemoteCacheManager::stop);
    }
}
