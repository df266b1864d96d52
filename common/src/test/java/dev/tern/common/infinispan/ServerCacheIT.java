package dev.tern.common.infinispan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.TernClusterExtension;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ServerCache} against the real Infinispan server of the shared test cluster. */
@ExtendWith(TernClusterExtension.class)
class ServerCacheIT {

    private final RemoteCacheManager manager = InfinispanClient.create(TernClusterExtension.cluster().infinispanHosts());

    @AfterEach
    void close() {
        manager.stop();
    }

    @Test
    void createsTheCacheOnFirstUseAndAgainAfterTheServerLostIt() throws Exception {
        String name = "tern-test-recreate-" + System.nanoTime();
        var cache = new ServerCache(manager, name);
        await(cache.call(c -> c.putAsync("k", "v")));
        String first = await(cache.call(c -> c.getAsync("k")));
        assertThat(first).isEqualTo("v");

        // As a server killed without its state comes back: the cache is gone.
        manager.administration().removeCache(name);
        Throwable lost = null;
        try {
            await(cache.call(c -> c.getAsync("k")));
        } catch (ExecutionException e) {
            lost = e.getCause();
        }
        assertThat(lost).as("the request that finds the cache gone fails").isNotNull();
        assertThat(ServerCache.isMissingCache(lost)).as("and is recognised: " + lost).isTrue();

        await(cache.call(c -> c.putAsync("k", "again")));
        String again = await(cache.call(c -> c.getAsync("k")));
        assertThat(again).as("the next requests find it created again")
                .isEqualTo("again");
        assertThat(cache.requests()).isEqualTo(5);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
