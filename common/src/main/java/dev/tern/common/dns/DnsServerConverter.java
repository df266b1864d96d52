package dev.tern.common.dns;

import java.net.InetSocketAddress;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads one entry of {@code tern.dns.servers}: {@code host}, {@code host:port}, {@code [v6]} or
 * {@code [v6]:port} (port 53 when absent). A malformed entry or an unresolvable host throws, so
 * the service does not start with a resolver list it cannot use; the message names the key.
 */
public final class DnsServerConverter implements Converter<InetSocketAddress> {

    public static final String KEY = "tern.dns.servers";

    @Override
    public InetSocketAddress convert(String value) {
        return parse(value);
    }

    public static InetSocketAddress parse(String value) {
        String s = value == null ? "" : value.trim();
        String host = s;
        String port = "53";
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw bad(value, "unclosed '['");
            }
            host = s.substring(1, end);
            String rest = s.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw bad(value, "expected ':port' after ']'");
                }
                port = rest.substring(1);
            }
        } else if (s.indexOf(':') >= 0) {
            if (s.indexOf(':') != s.lastIndexOf(':')) {
                throw bad(value, "write an IPv6 address as [address]:port");
            }
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        if (host.isEmpty()) {
            throw bad(value, "no host");
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw bad(value, "port '" + port + "' is not a number");
        }
        if (number < 1 || number > 65535) {
            throw bad(value, "port " + number + " is out of range");
        }
        InetSocketAddress address = new InetSocketAddress(host, number);
        if (address.isUnresolved()) {
            throw bad(value, "cannot resolve host '" + host + "'");
        }
        return address;
    }

    private static IllegalArgumentException bad(String value, String why) {
        return new IllegalArgumentException(KEY + ": '" + value + "' is not host:port (" + why + ")");
    }
}
