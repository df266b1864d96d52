package dev.tern.common.infinispan;

import dev.tern.common.config.TernConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.infinispan.client.hotrod.configuration.Configuration;
import org.infinispan.client.hotrod.configuration.ConfigurationBuilder;

/**
 * Tern's Hot Rod client settings from {@code tern.infinispan.*} (docs/ARCHITECTURE.md,
 * "Infinispan security"): servers, short timeouts, TLS and SASL credentials. Everything is read
 * and checked here, at start, so a missing or malformed file fails the start naming its key.
 *
 * <p>Short timeouts: callers have local fallbacks (docs/ARCHITECTURE.md, "Durability rules"),
 * so a slow Infinispan must fail fast rather than stall delivery.
 */
public final class HotRodSettings {

    private HotRodSettings() {
    }

    /** Plain settings for {@code hosts}: no TLS, and credentials only when {@code username} is set. */
    public static ConfigurationBuilder plain(String hosts, String username, String password) {
        var b = new ConfigurationBuilder()
                .addServers(hosts)
                .connectionTimeout(2000)
                .socketTimeout(2000)
                .maxRetries(1);
        if (username != null && !username.isBlank()) {
            b.security().authentication().enable().username(username)
                    .password(password == null ? new char[0] : password.toCharArray());
        }
        return b;
    }

    /** The settings {@code config} describes; {@link IllegalStateException} naming the key at fault. */
    public static Configuration from(TernConfig.Infinispan config) {
        ConfigurationBuilder b = plain(config.hosts(), config.username().orElse(null), password(config).orElse(null));
        if (config.username().filter(u -> !u.isBlank()).isPresent()) {
            b.security().authentication().saslMechanism(config.saslMechanism().trim());
        }
        TernConfig.InfinispanTls tls = config.tls();
        if (tls.enabled()) {
            b.security().ssl().enable()
                    .sslContext(HotRodTls.context(tls))
                    .sniHostName(tls.sniHostName().filter(h -> !h.isBlank()).orElse(firstHost(config.hosts())))
                    .hostnameValidation(true);
        }
        try {
            return b.build();
        } catch (RuntimeException e) {
            throw new IllegalStateException("tern.infinispan.*: invalid Hot Rod settings: " + e.getMessage(), e);
        }
    }

    /** The password: from {@code password-file} when set (a mounted Secret), else {@code password}. */
    static Optional<String> password(TernConfig.Infinispan config) {
        if (config.passwordFile().isEmpty()) {
            return config.password();
        }
        Path file = config.passwordFile().get();
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", ""));
        } catch (IOException e) {
            throw new IllegalStateException("tern.infinispan.password-file: cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** {@code host} of the first {@code host[:port]} in a {@code ;}- or {@code ,}-separated list. */
    static String firstHost(String hosts) {
        String first = hosts.trim().split("[;,]")[0].trim();
        if (first.startsWith("[")) {
            return first.substring(1, Math.max(1, first.indexOf(']')));
        }
        int colon = first.lastIndexOf(':');
        return colon < 0 ? first : first.substring(0, colon);
    }
}
