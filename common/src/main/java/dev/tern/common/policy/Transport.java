package dev.tern.common.policy;

import java.net.URI;
import java.util.Locale;

/**
 * Where mail for a route goes: {@code mx} (DNS MX lookup, the default), {@code smtp://host:port}
 * (a smarthost) or {@code lmtp://host:port} (RFC 2033, a mailbox server).
 *
 * <p>A smarthost may name a user, {@code smtp://user@host:587} (URL-encoded: {@code user%40example.com});
 * its password comes from the route's {@code auth-secret} file ({@link #withPassword}), never from
 * the URI. Delivery then authenticates after STARTTLS (docs/ARCHITECTURE.md, "Authenticated
 * smarthost"). {@link #toString()} leaves the user out: it names the destination and the
 * {@code destination_class} metric label, which must not carry an address.
 *
 * @param user     the AUTH user for an {@code smtp://} route, or null
 * @param password its password, or null until the route's {@code auth-secret} is read
 */
public record Transport(Kind kind, String host, int port, String user, Password password) {

    public enum Kind { MX, SMTP, LMTP }

    public static final Transport MX = new Transport(Kind.MX, null, 25);

    public Transport(Kind kind, String host, int port) {
        this(kind, host, port, null, null);
    }

    public static Transport parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equalsIgnoreCase("mx")) {
            return MX;
        }
        String shown = hidePassword(t);
        URI uri;
        try {
            uri = URI.create(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + shown + "' is not mx, smtp://host:port or lmtp://host:port");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Kind kind = switch (scheme) {
            case "smtp" -> Kind.SMTP;
            case "lmtp" -> Kind.LMTP;
            default -> throw new IllegalArgumentException("'" + shown + "' is not mx, smtp://host:port or lmtp://host:port");
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + shown + "' has no host (write an @ in the user as %40)");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : kind == Kind.SMTP ? 25 : 24;
        String user = uri.getUserInfo();
        if (user != null) {
            if (uri.getRawUserInfo().contains(":")) {
                throw new IllegalArgumentException("'" + shown + "' carries a password: give only the user and put"
                        + " the password in auth-secret");
            }
            if (kind != Kind.SMTP) {
                throw new IllegalArgumentException("'" + shown + "': only smtp:// routes authenticate");
            }
            if (user.isEmpty() || user.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("'" + shown + "' has an empty or invalid user");
            }
        }
        return new Transport(kind, uri.getHost(), port, user, null);
    }

    /** The same transport with the password of its user. */
    public Transport withPassword(Password value) {
        return new Transport(kind, host, port, user, value);
    }

    /** Whether delivery authenticates to this transport: a user with its password. */
    public boolean authenticates() {
        return user != null && password != null;
    }

    // An error message must not repeat a password someone wrote into the URI.
    private static String hidePassword(String uri) {
        return uri.replaceAll("^([A-Za-z]+://[^/@:]*):.*@", "$1:(hidden)@");
    }

    @Override
    public String toString() {
        return kind == Kind.MX ? "mx" : kind.name().toLowerCase(Locale.ROOT) + "://" + host + ":" + port;
    }
}
