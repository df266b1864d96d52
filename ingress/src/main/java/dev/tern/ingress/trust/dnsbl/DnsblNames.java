package dev.tern.ingress.trust.dnsbl;

import dev.tern.ingress.trust.ClientAddress;
import java.net.InetAddress;
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
        byte[] a = ClientAddress.unmapped(client).getAddress();
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

    /** Policy files may write a zone with or without the final dot, in any case. */
    static String zoneName(String zone) {
        String z = zone.trim().toLowerCase(Locale.ROOT);
        return z.endsWith(".") ? z.substring(0, z.length() - 1) : z;
    }
}
