package dev.tern.local.runtime.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loopback port helpers for servers that must be told their port before they start.
 *
 * <p>{@link #pick()} returns a port that was free a moment ago, chosen at random <em>below</em> the
 * kernel's ephemeral range: between the pick and the server's bind (seconds, while Kafka and
 * Infinispan start), any outbound connection on the machine could otherwise be given the same
 * port as its local port, and the server would fail with "address in use" (seen once in a
 * verify, session 3). Below the range only another explicit bind can take it. Everything here is
 * 127.0.0.1 only.
 *
 * <p>A port is handed out at most once per JVM: a test fixture may keep "its" port for the whole
 * JVM and close and reopen its server on it between test classes, and while it is closed another
 * fixture's pick would otherwise find it free and take it for good (seen in a verify: the
 * delivery tests' sink port taken by a server a test class in between had started).
 */
public final class FreePorts {

    /** The only address the local runtime binds to or connects to. */
    public static final String LOOPBACK = "127.0.0.1";

    private FreePorts() {
    }

    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Lowest port {@link #pick()} chooses from. */
    static final int LOWEST = 10_000;

    /** A port that was free on 127.0.0.1 a moment ago, outside the ephemeral range when it can be. */
    public static int pick() {
        int highest = ephemeralLow() - 1;
        if (highest - LOWEST >= 1000) {
            var random = java.util.concurrent.ThreadLocalRandom.current();
            for (int i = 0; i < 100; i++) {
                int port = random.nextInt(LOWEST, highest + 1);
                if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                    return port;
                }
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            HANDED_OUT.add(socket.getLocalPort());
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LOOPBACK, e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range (Linux), or 32768 when it cannot be read. */
    static int ephemeralLow() {
        try {
            // Not Files.readString: /proc files report size 0, and it returned one byte of this one.
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
            return Integer.parseInt(range.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    /** {@code port}, or a freshly picked one when {@code port} is 0. */
    public static int orPick(int port) {
        return port == 0 ? pick() : port;
    }

    /** True when something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
