package dev.tern.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy's {@code webhooks:} list: defaults, every key, secrecy, and refusals naming the key. */
class WebhooksParserTest {

    @TempDir
    Path dir;

    @BeforeEach
    void secret() throws Exception {
        Files.writeString(dir.resolve("hook-secret"), "whsec-very-secret\n");
    }

    private Policy parse(String entry) {
        return PolicyParser.parse("webhooks:\n  - name: crm\n    url: https://hooks.example.com/tern\n"
                + "    secret-file: hook-secret\n" + entry, dir);
    }

    private void refused(String entry, String message) {
        assertThatThrownBy(() -> parse(entry)).isInstanceOf(PolicyException.class).hasMessageStartingWith(message);
    }

    @Test
    void anEndpointWithOnlyItsRequiredKeysGetsTheDefaults() {
        Webhook w = parse("").webhooks().get(0);

        assertThat(w.name()).isEqualTo("crm");
        assertThat(w.url()).isEqualTo(URI.create("https://hooks.example.com/tern"));
        assertThat(w.secret().value()).as("the file's final newline is not part of it").isEqualTo("whsec-very-secret");
        assertThat(w.outcomes()).isEmpty();
        assertThat(w.wants("DELIVERED")).isTrue();
        assertThat(w.wants("SOMETHING_NEW")).as("no filter: every outcome, future ones too").isTrue();
        assertThat(w.batchSize()).isEqualTo(100);
        assertThat(w.maxWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(w.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(w.backoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(w.maxBackoff()).isEqualTo(Duration.ofMinutes(5));
        assertThat(w.startAtEnd()).isTrue();
    }

    @Test
    void readsEveryKey() {
        Webhook w = parse("    events: [bounced, Complained]\n    batch-size: 20\n    max-wait: 5s\n    timeout: 3s\n"
                + "    backoff: 2s\n    max-backoff: 1m\n    start: earliest\n").webhooks().get(0);

        assertThat(w.outcomes()).containsExactlyInAnyOrder("BOUNCED", "COMPLAINED");
        assertThat(w.wants("BOUNCED")).isTrue();
        assertThat(w.wants("DELIVERED")).isFalse();
        assertThat(w.wants("SOMETHING_NEW")).isFalse();
        assertThat(w.batchSize()).isEqualTo(20);
        assertThat(w.maxWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(w.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(w.backoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(w.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
        assertThat(w.startAtEnd()).isFalse();
    }

    @Test
    void theSecretIsInNoTextRenderingAndItsFileIsWatched() {
        Policy p = parse("");

        assertThat(p.toString()).doesNotContain("whsec-very-secret");
        assertThat(p.webhooks().get(0).toString()).doesNotContain("whsec-very-secret");
        assertThat(p.watchedFiles()).containsExactly(dir.resolve("hook-secret"));
    }

    @Test
    void noWebhooksKeyMeansNone() {
        assertThat(PolicyParser.parse("", dir).webhooks()).isEmpty();
    }

    @Test
    void malformedEntriesAreRefusedNamingTheKey() {
        refused("    events: [delivered, opened]\n", "webhooks[0].events[1]: 'opened' is not one of");
        refused("    events: []\n", "webhooks[0].events: names no outcome");
        refused("    batch-size: 0\n", "webhooks[0].batch-size: '0' is not a positive whole number");
        refused("    max-wait: soon\n", "webhooks[0].max-wait:");
        refused("    timeout: 0s\n", "webhooks[0].timeout: must be longer than zero");
        refused("    backoff: 10m\n", "webhooks[0].max-backoff: is shorter than backoff");
        refused("    start: middle\n", "webhooks[0].start: 'middle' is not latest or earliest");
        refused("    retries: 3\n", "webhooks[0].retries: unknown key");
    }

    @Test
    void badUrlsNamesAndSecretsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> PolicyParser.parse("webhooks:\n  - name: crm\n    url: ftp://x.example/\n"
                + "    secret-file: hook-secret\n", dir)).hasMessageStartingWith("webhooks[0].url: 'ftp://x.example/' is not an http");
        assertThatThrownBy(() -> PolicyParser.parse("webhooks:\n  - name: crm\n    url: https://u:p@x.example/\n"
                + "    secret-file: hook-secret\n", dir)).hasMessageStartingWith("webhooks[0].url: must not carry credentials");
        assertThatThrownBy(() -> PolicyParser.parse("webhooks:\n  - name: crm\n    secret-file: hook-secret\n", dir))
                .hasMessageStartingWith("webhooks[0].url: is required");
        assertThatThrownBy(() -> PolicyParser.parse("webhooks:\n  - name: c r m\n    url: https://x.example/\n"
                + "    secret-file: hook-secret\n", dir)).hasMessageStartingWith("webhooks[0].name: 'c r m' must be");
        assertThatThrownBy(() -> PolicyParser.parse("webhooks:\n  - name: crm\n    url: https://x.example/\n"
                + "    secret-file: missing\n", dir)).hasMessageStartingWith("webhooks[0].secret-file: cannot read")
                .hasMessageNotContaining("whsec");
        assertThatThrownBy(() -> PolicyParser.parse("webhooks:\n  - name: crm\n    url: https://x.example/\n"
                + "    secret-file: hook-secret\n  - name: crm\n    url: https://y.example/\n    secret-file: hook-secret\n",
                dir)).hasMessageStartingWith("webhooks[1].name: duplicate webhook name 'crm'");
        assertThatThrownBy(() -> PolicyParser.parse("webhooks: {crm: {}}\n", dir))
                .hasMessageStartingWith("webhooks: must be a list");
    }
}
