package dev.tern.ingress.trust.dnsbl;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The name a DNS list is asked about for a client address (RFC 5782 §2.1, §2.4): the IPv4
 * octets, or the 32 nibbles of an IPv6 address, in reverse order, under the list's zone.
 */
public final class DnsblNames {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DnsblNames() {
    }

    /** {@code 2.0.0.127.zen.example} for 127.0.0.2 under {@code zen.example}. */
    public static String query(InetAddress client, String zone) {
        return reversed(client) + "." + zoneName(zone);
    }

    /** The reversed octets or nibbles, without a zone. */
    public static String reversed(InetAddress client) {
        byte[] a = plain(client).getAddress();
        var out = new StringBuilder(a.length == 4 ? 16 : 64);
        for (int i = a.length - 1; i >= 0; i--) {
            int b = a[i] & 0xff;
            if (a.length == 4) {
                out.append(b).append('.');
            } else {
                out.append(HEX[b & 0xf]).append('.').append(HEX[b >> 4]).append('.');
            }
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    /**
     * The client as an IPv4 address when it is an IPv4-mapped IPv6 one ({@code ::ffff:192.0.2.1}):
     * a dual-stack listener reports IPv4 clients that way, and lists index them under IPv4.
     */
    static InetAddress plain(InetAddress client) {
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

    /** Policy files may write a zone with or without the final dot, in any case. */
    static String zoneName(String zone) {
        String z = zone.trim().toLowerCase(Locale.ROOT);
        return z.endsWith(".") ? z.substring(0, z.length() - 1) : z;
    }
}
