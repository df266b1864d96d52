package dev.tern.ingress.proxy;

import dev.tern.ingress.config.IngressConfig;
import dev.tern.smtp.client.TlsPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The proxy listener's settings ({@code tern.ingress.proxy.*}), checked once at start: a bad value
 * fails the start naming its key.
 *
 * @param host           the upstream's host name or address literal
 * @param port           the upstream's port
 * @param tlsPolicy      STARTTLS to the upstream
 * @param verifyTls      check the upstream's certificate (only with {@link TlsPolicy#REQUIRED})
 * @param milters        names of the policy's {@code milters} entries to run, in order
 * @param connectTimeout connect, greeting, EHLO and STARTTLS together
 * @param replyTimeout   the longest wait for one upstream reply
 */
public record ProxySettings(String host, int port, TlsPolicy tlsPolicy, boolean verifyTls, List<String> milters,
                            Duration connectTimeout, Duration replyTimeout) {

    public ProxySettings {
        milters = List.copyOf(milters);
    }

    /**
     * Reads {@code tern.ingress.proxy.*}.
     *
     * @throws IllegalArgumentException naming the key of a missing or bad value
     */
    public static ProxySettings from(IngressConfig.Proxy config) {
        String upstream = config.upstream().orElseThrow(() -> new IllegalArgumentException(
                "tern.ingress.proxy.upstream: required when tern.ingress.proxy.listen is set (smtp://host:port)"));
        URI uri;
        try {
            uri = new URI(upstream.strip());
        } catch (URISyntaxException e) {
            throw bad("upstream", upstream, "not smtp://host:port");
        }
        if (!"smtp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null
                || (uri.getPath() != null && !uri.getPath().isEmpty()) || uri.getQuery() != null
                || uri.getUserInfo() != null) {
            throw bad("upstream", upstream, "not smtp://host:port");
        }
        int port = uri.getPort() < 0 ? 25 : uri.getPort();
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        String tls = config.upstreamTls().strip().toLowerCase(Locale.ROOT);
        TlsPolicy policy = switch (tls) {
            case "none" -> TlsPolicy.NONE;
            case "opportunistic" -> TlsPolicy.OPPORTUNISTIC;
            case "required", "verify" -> TlsPolicy.REQUIRED;
            default -> throw bad("upstream-tls", config.upstreamTls(), "not none, opportunistic, required or verify");
        };
        List<String> milters = config.milters().orElse(List.of()).stream().map(String::strip).toList();
        for (String name : milters) {
            if (name.isEmpty()) {
                throw bad("milters", String.join(",", milters), "an empty milter name");
            }
        }
        if (config.connectTimeout().isNegative() || config.connectTimeout().isZero()) {
            throw bad("connect-timeout", config.connectTimeout().toString(), "must be positive");
        }
        if (config.replyTimeout().isNegative() || config.replyTimeout().isZero()) {
            throw bad("reply-timeout", config.replyTimeout().toString(), "must be positive");
        }
        return new ProxySettings(host, port, policy, tls.equals("verify"), milters, config.connectTimeout(),
                config.replyTimeout());
    }

    /** For log lines and replies: {@code host:port}. */
    public String upstream() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static IllegalArgumentException bad(String key, String value, String why) {
        return new IllegalArgumentException("tern.ingress.proxy." + key + ": '" + value + "' " + why);
    }
}
