package dev.tern.common.journal;

import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.local.runtime.EmbeddedCluster;
import java.time.Duration;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The journal contract against a real Infinispan server (the shared local cluster). */
class InfinispanDeliveryJournalIT implements DeliveryJournalContract {

    static RemoteCacheManager manager;
    static InfinispanDeliveryJournal journal;

    @BeforeAll
    static void connect() {
        manager = InfinispanClient.create(EmbeddedCluster.shared().infinispanHosts());
        journal = new InfinispanDeliveryJournal(manager, "tern-journal-contract", Duration.ofHours(1));
    }

    @AfterAll
    static void disconnect() {
        manager.stop();
    }

    @Override
    public DeliveryJournal journal() {
        return journal;
    }
}
