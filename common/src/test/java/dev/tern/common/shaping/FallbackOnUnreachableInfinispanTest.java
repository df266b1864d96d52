package dev.tern.common.shaping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.common.policy.Rate;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pod whose Infinispan is not there at all (nothing listens on the port): the real Hot Rod
 * client's failure must reach the fallback, and delivery must get its local share.
 */
class FallbackOnUnreachableInfinispanTest {

    private RemoteCacheManager manager;

    @AfterEach
    void close() {
        if (manager != null) {
            manager.stop();
        }
    }

    @Test
    void grantsTheLocalShareWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        manager = InfinispanClient.create("127.0.0.1:" + port);
        Fallback fallback = new Fallback(() -> 4, Duration.ofSeconds(3), Duration.ofSeconds(30), Clock.systemUTC());
        Duration window = Duration.ofSeconds(1);
        FallbackRateLimiter limiter = new FallbackRateLimiter(
                new InfinispanRateLimiter(manager, InfinispanRateLimiter.CACHE, window, Clock.systemUTC()),
                new InMemoryRateLimiter(window, Clock.systemUTC()), fallback);

        RateLimiter.Grant grant = limiter.acquire("gmail.com", Rate.parse("40/s"), 100)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(grant.granted()).as("burst of 40/4s over a 1 s window").isEqualTo(10);
        assertThat(limiter.degraded()).isTrue();
    }
}
