package dev.tern.bounce.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Tern-Signature} of a webhook POST (docs/ARCHITECTURE.md, "Webhooks"):
 * {@code sha256=<lower-case hex HMAC-SHA256(secret, timestamp + "." + body)>}, where timestamp is
 * the {@code X-Tern-Timestamp} header (epoch seconds) and body the exact bytes POSTed. Signing the
 * timestamp with the body lets a receiver refuse replays older than its tolerance. Immutable and
 * thread-safe: each call makes its own {@link Mac}.
 */
public final class WebhookSigner {

    public static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /** @param secret the endpoint's secret, as UTF-8 bytes the key of the HMAC */
    public WebhookSigner(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The header value for {@code body} sent at {@code timestamp} (epoch seconds). */
    public String sign(long timestamp, byte[] body) {
        Mac mac = mac();
        mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSigner[(secret hidden)]";
    }
}
