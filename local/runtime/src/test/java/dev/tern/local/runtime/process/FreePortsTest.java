package dev.tern.local.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void picksBindablePortsBelowTheEphemeralRange() throws Exception {
        for (int i = 0; i < 20; i++) {
            int port = FreePorts.pick();
            assertThat(port).isBetween(FreePorts.LOWEST, FreePorts.ephemeralLow() - 1);
            try (var socket = new ServerSocket(port, 1, InetAddress.getByName(FreePorts.LOOPBACK))) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void neverHandsOutTheSamePortTwiceInOneJvmEvenWhenItIsFreeAgain() {
        var seen = new java.util.HashSet<Integer>();
        for (int i = 0; i < 1000; i++) { // among ~20,000 ports: without the memory, a repeat is all but certain
            // Each port is free again at once (nothing binds it): only the memory of handed-out ports keeps it unique.
            org.assertj.core.api.Assertions.assertThat(seen.add(FreePorts.pick())).isTrue();
        }
    }
}
