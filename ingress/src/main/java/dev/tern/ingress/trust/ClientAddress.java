package dev.tern.ingress.trust;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** The client address the edge checks reason about. */
public final class ClientAddress {

    private ClientAddress() {
    }

    /**
     * The client as an IPv4 address when it is an IPv4-mapped IPv6 one ({@code ::ffff:192.0.2.1}):
     * a dual-stack listener may report IPv4 clients that way, while reputation lists and networks
     * know them by their IPv4 address.
     */
    public static InetAddress unmapped(InetAddress client) {
        byte[] a = client.getAddress();
        if (client instanceof Inet4Address || !isV4Mapped(a)) {
            return client;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(a, 12, 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
    }
}
