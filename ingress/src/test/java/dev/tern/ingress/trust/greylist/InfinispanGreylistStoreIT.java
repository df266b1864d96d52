package dev.tern.ingress.trust.greylist;

import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.local.testkit.TernClusterExtension;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link InfinispanGreylistStore} against the real Infinispan server of the shared test cluster. */
@ExtendWith(TernClusterExtension.class)
class InfinispanGreylistStoreIT implements GreylistStoreContract {

    private final RemoteCacheManager manager =
            InfinispanClient.create(TernClusterExtension.cluster().infinispanHosts());
    private final InfinispanGreylistStore store = new InfinispanGreylistStore(manager,
            "tern-greylist-contract-" + System.nanoTime());

    @AfterEach
    void close() {
        manager.stop();
    }

    @Override
    public GreylistStore store() {
        return store;
    }
}
