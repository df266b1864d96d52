package dev.tern.delivery.route;

/**
 * One server to try for a destination.
 *
 * @param host    the name we were given (MX target or route host), for logs, events and TLS SNI
 * @param address the IP address to connect to, or null to let the connector resolve {@code host}
 *                (routes written with a host name)
 * @param port    TCP port
 */
public record NextHop(String host, String address, int port) {

    /** {@code host[ip]:port} as Postfix logs it. */
    @Override
    public String toString() {
        return host + (address == null ? "" : "[" + address + "]") + ":" + port;
    }
}
