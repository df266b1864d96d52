package dev.tern.local.runtime.infinispan;

/**
 * Infinispan run as child processes, as the cluster around it uses it: one {@link InfinispanServer}
 * or an {@link InfinispanPair}.
 */
public interface InfinispanBackend {

    /** Value for {@code tern.infinispan.hosts}. */
    String hosts();

    /** Stops every process. Idempotent. */
    void stop();
}
