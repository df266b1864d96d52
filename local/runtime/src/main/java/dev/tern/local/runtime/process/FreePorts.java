package dev.tern.local.runtime.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Loopback port helpers for servers that must be told their port before they start.
 *
 * <p>{@link #pick()} asks the kernel for an ephemeral port and releases it; another process may
 * take it before the server binds, which is rare enough on a build machine that callers simply
 * fail with the server's own "address in use" log line. Everything here is 127.0.0.1 only.
 */
public final class FreePorts {

    /** The only address the local runtime binds to or connects to. */
    public static final String LOOPBACK = "127.0.0.1";

    private FreePorts() {
    }

    /** A port that was free on 127.0.0.1 a moment ago. */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LOOPBACK, e);
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
