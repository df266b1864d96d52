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
}
