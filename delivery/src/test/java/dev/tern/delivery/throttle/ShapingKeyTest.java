package dev.tern.delivery.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShapingKeyTest {

    @Test
    void rendersTheSharedCacheKeysOfEarlierReleases() {
        // These strings are the Infinispan keys pods of the previous release use: a rolling
        // upgrade shares limits only while they stay the same.
        assertThat(ShapingKey.destination("gmail.com")).hasToString("gmail.com");
        assertThat(ShapingKey.destination("*.google.com")).hasToString("*.google.com");
        assertThat(ShapingKey.source("10.0.0.1")).hasToString("source 10.0.0.1");
        assertThat(ShapingKey.destination("gmail.com").from("10.0.0.1")).hasToString("gmail.com from 10.0.0.1");
    }

    @Test
    void tellsAnAddressesOwnLimitsFromADestinations() {
        assertThat(ShapingKey.source("10.0.0.1").isSource()).isTrue();
        assertThat(ShapingKey.destination("gmail.com").isSource()).isFalse();
        assertThat(ShapingKey.destination("gmail.com").from("10.0.0.1").isSource()).isFalse();
        assertThat(ShapingKey.source("10.0.0.1")).isNotEqualTo(ShapingKey.destination("source 10.0.0.1").shared());
    }

    @Test
    void aPerSourceKeyGivesBackTheDestinationsSharedKey() {
        ShapingKey gmail = ShapingKey.destination("gmail.com");
        assertThat(gmail.from("10.0.0.1").shared()).isEqualTo(gmail);
        assertThat(gmail.shared()).isSameAs(gmail);
        assertThat(ShapingKey.source("10.0.0.1").shared()).isNull();
        assertThat(gmail.from("10.0.0.1")).isNotEqualTo(gmail.from("10.0.0.2"));
    }

    @Test
    void anAddressKeyHasNoPerAddressFormAndAKeyNamesSomething() {
        assertThatThrownBy(() -> ShapingKey.source("10.0.0.1").from("10.0.0.2"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ShapingKey(null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
