package dev.tern.ingress.listen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

    @Test
    void capsPerIpAndInTotalAndFreesSlotsOnRelease() {
        var limiter = new ConnectionLimiter(3, 2);
        assertThat(limiter.acquire("192.0.2.1")).isNull();
        assertThat(limiter.acquire("192.0.2.1")).isNull();
        assertThat(limiter.acquire("192.0.2.1")).isEqualTo(ConnectionLimiter.Refusal.PER_IP);
        assertThat(limiter.acquire("192.0.2.2")).isNull();
        assertThat(limiter.acquire("192.0.2.3")).isEqualTo(ConnectionLimiter.Refusal.TOTAL);
        limiter.release("192.0.2.1");
        assertThat(limiter.acquire("192.0.2.3")).isNull();
        assertThat(limiter.active()).isEqualTo(3);
    }

    @Test
    void trustedClientsAreExemptFromThePerIpCapButNotTheTotal() {
        var limiter = new ConnectionLimiter(4, 1);
        assertThat(limiter.acquire("127.0.0.1", true)).isNull();
        assertThat(limiter.acquire("127.0.0.1", true)).isNull();
        assertThat(limiter.acquire("127.0.0.1", true)).isNull();
        assertThat(limiter.acquire("127.0.0.1", false)).isEqualTo(ConnectionLimiter.Refusal.PER_IP);
        assertThat(limiter.acquire("127.0.0.1", true)).isNull();
        assertThat(limiter.acquire("127.0.0.1", true)).isEqualTo(ConnectionLimiter.Refusal.TOTAL);
    }

    @Test
    void drainingRefusesEveryNewConnection() {
        var limiter = new ConnectionLimiter(10, 10);
        limiter.startDraining();
        assertThat(limiter.acquire("192.0.2.1", true)).isEqualTo(ConnectionLimiter.Refusal.DRAINING);
    }
}
