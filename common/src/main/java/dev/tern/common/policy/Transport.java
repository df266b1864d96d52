package dev.tern.common.policy;

import java.net.URI;
import java.util.Locale;

/**
 * Where mail for a route goes: {@code mx} (DNS MX lookup, the default), {@code smtp://host:port}
 * (a smarthost) or {@code lmtp://host:port} (RFC 2033, a mailbox server).
 */
public record Transport(Kind kind, String host, int port) {

    public enum Kind { MX, SMTP, LMTP }

    public static final Transport MX = new Transport(Kind.MX, null, 25);

    public static Transport parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equalsIgnoreCase("mx")) {
            return MX;
        }
        URI uri;
        try {
            uri = URI.create(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not mx, smtp://host:port or lmtp://host:port");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Kind kind = switch (scheme) {
            case "smtp" -> Kind.SMTP;
            case "lmtp" -> Kind.LMTP;
            default -> throw new IllegalArgumentException("'" + text + "' is not mx, smtp://host:port or lmtp://host:port");
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "' has no host");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : kind == Kind.SMTP ? 25 : 24;
        return new Transport(kind, uri.getHost(), port);
    }

    @Override
    public String toString() {
        return kind == Kind.MX ? "mx" : kind.name().toLowerCase(Locale.ROOT) + "://" + host + ":" + port;
    }
}
