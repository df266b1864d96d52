package dev.tern.bounce.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The X-Tern-Signature value, checked against a vector computed with Python's hmac module. */
class WebhookSignerTest {

    private static final byte[] BODY = "{\"events\":[]}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsTimestampDotBodyWithHmacSha256() {
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec-test", b"1700000000." + b"{\"events\":[]}", hashlib.sha256).hexdigest())'
        assertThat(new WebhookSigner("whsec-test").sign(1_700_000_000L, BODY))
                .isEqualTo("sha256=f6508d728f59e4a4c30a839747614dc39926dae93caf45c8e91908c852f5ce5d");
    }

    @Test
    void theSignatureChangesWithTheTimestampTheBodyAndTheSecret() {
        String base = new WebhookSigner("whsec-test").sign(1_700_000_000L, BODY);

        assertThat(new WebhookSigner("whsec-test").sign(1_700_000_001L, BODY)).isNotEqualTo(base);
        assertThat(new WebhookSigner("whsec-test").sign(1_700_000_000L, "{\"events\":[1]}".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(base);
        assertThat(new WebhookSigner("whsec-other").sign(1_700_000_000L, BODY)).isNotEqualTo(base);
    }

    @Test
    void neverShowsTheSecret() {
        assertThat(new WebhookSigner("whsec-test").toString()).doesNotContain("whsec-test");
    }
}
