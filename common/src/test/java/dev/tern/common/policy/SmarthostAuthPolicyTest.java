package dev.tern.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A route's {@code via: smtp://user@host} with its {@code auth-secret}: parsing, validation, secrecy, reload. */
class SmarthostAuthPolicyTest {

    @TempDir
    Path dir;

    private static String route(String via, String secret) {
        return "routes:\n  - match: relay.test\n    via: " + via + "\n"
                + (secret == null ? "" : "    auth-secret: " + secret + "\n");
    }

    @Test
    void readsTheUserFromViaAndThePasswordFromTheSecretFile() throws Exception {
        Files.writeString(dir.resolve("relay-password"), "s3cret pass\n");

        Policy p = PolicyParser.parse(route("smtp://user%40example.com@relay.example.net:587", "relay-password"), dir);

        Transport t = p.transportFor("relay.test");
        assertThat(t.user()).isEqualTo("user@example.com");
        assertThat(t.password().value()).as("the file's final newline is not part of it").isEqualTo("s3cret pass");
        assertThat(t.authenticates()).isTrue();
        assertThat(t.host()).isEqualTo("relay.example.net");
        assertThat(t.port()).isEqualTo(587);
        assertThat(p.watchedFiles()).containsExactly(dir.resolve("relay-password"));
    }

    @Test
    void thePasswordAppearsInNoTextRendering() throws Exception {
        Files.writeString(dir.resolve("pw"), "hunter2-very-secret");

        Policy p = PolicyParser.parse(route("smtp://tern@relay.example.net:587", "pw"), dir);

        assertThat(p.toString()).doesNotContain("hunter2-very-secret");
        assertThat(p.routes().get(0).toString()).doesNotContain("hunter2-very-secret");
        assertThat(p.transportFor("relay.test").toString()).isEqualTo("smtp://relay.example.net:587");
    }

    @Test
    void aUserWithoutAuthSecretIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> PolicyParser.parse(route("smtp://tern@relay.example.net:587", null), dir))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith("routes[0].auth-secret: is required");
    }

    @Test
    void anAuthSecretWithoutUserIsRefusedNamingTheKey() throws Exception {
        Files.writeString(dir.resolve("pw"), "x");
        assertThatThrownBy(() -> PolicyParser.parse(route("smtp://relay.example.net:587", "pw"), dir))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("routes[0].auth-secret: needs a user in via, e.g. smtp://user@relay.example.net:587");
    }

    @Test
    void anUnreadableOrEmptySecretIsRefusedNamingTheKey() throws Exception {
        assertThatThrownBy(() -> PolicyParser.parse(route("smtp://tern@relay.example.net:587", "missing"), dir))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("routes[0].auth-secret: cannot read " + dir.resolve("missing"));
        Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> PolicyParser.parse(route("smtp://tern@relay.example.net:587", "empty"), dir))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith("routes[0].auth-secret: ")
                .hasMessageEndingWith("is empty");
    }

    @Test
    void aPasswordInTheUriIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> PolicyParser.parse(route("smtp://tern:hunter2@relay.example.net:587", null), dir))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith("routes[0].via: ")
                .hasMessageContaining("auth-secret").hasMessageNotContaining("hunter2");
    }

    @Test
    void lmtpRoutesDoNotAuthenticate() throws Exception {
        Files.writeString(dir.resolve("pw"), "x");
        assertThatThrownBy(() -> PolicyParser.parse(route("lmtp://tern@mail.example.net:24", "pw"), dir))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith("routes[0].via: ")
                .hasMessageContaining("only smtp:// routes authenticate");
    }

    @Test
    void aChangedSecretFileReloadsThePolicy() throws Exception {
        Path secret = Files.writeString(dir.resolve("pw"), "first\n");
        Path file = Files.writeString(dir.resolve("policy.yaml"), route("smtp://tern@relay.example.net:587", "pw"));
        try (var watcher = new PolicyWatcher(file, Duration.ofHours(1))) {
            assertThat(watcher.poll()).as("nothing changed yet").isFalse();

            Files.writeString(secret, "second\n");

            assertThat(watcher.poll()).isTrue();
            assertThat(watcher.current().transportFor("relay.test").password().value()).isEqualTo("second");
            assertThat(watcher.poll()).isFalse();

            Files.delete(secret);
            assertThat(watcher.poll()).as("an unreadable secret is a refused reload").isFalse();
            assertThat(watcher.lastError()).startsWith("routes[0].auth-secret: cannot read");
            assertThat(watcher.current().transportFor("relay.test").password().value()).isEqualTo("second");
        }
    }
}
