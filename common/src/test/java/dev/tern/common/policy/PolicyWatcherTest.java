package dev.tern.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyWatcherTest {

    @TempDir
    Path dir;

    @Test
    void reloadsAValidChangeAndKeepsTheLastGoodOnAnInvalidOne() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "retry: [1m]\n");
        // A long poll interval: the test drives poll() itself so it cannot race the timer.
        try (var watcher = new PolicyWatcher(file, Duration.ofHours(1))) {
            var changes = new AtomicInteger();
            watcher.onChange(p -> changes.incrementAndGet());
            assertThat(watcher.current().retry()).containsExactly(Duration.ofMinutes(1));

            Files.writeString(file, "retry: [2m]\n");
            assertThat(watcher.poll()).isTrue();
            assertThat(watcher.current().retry()).containsExactly(Duration.ofMinutes(2));

            Files.writeString(file, "retry: [two minutes]\n");
            assertThat(watcher.poll()).isFalse();
            assertThat(watcher.current().retry()).containsExactly(Duration.ofMinutes(2));
            assertThat(watcher.lastError()).startsWith("retry[0]");

            assertThat(watcher.poll()).isFalse();
            Files.writeString(file, "retry: [3m]\n");
            assertThat(watcher.poll()).isTrue();
            assertThat(watcher.lastError()).isNull();
            assertThat(changes).hasValue(2);
        }
    }

    @Test
    void aBadFileFailsTheStartNamingTheKey() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "destinations: {default: {rate: lots}}\n");
        assertThatThrownBy(() -> new PolicyWatcher(file, Duration.ofSeconds(1)))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith("destinations.default.rate");
    }

    @Test
    void usersFileVerifiesBcryptAndRefusesOtherHashes() throws Exception {
        String hash = OpenBSDBCrypt.generate("2y", "s3cret".toCharArray(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
            11, 12, 13, 14, 15, 16}, 4);
        Path users = dir.resolve("users");
        Files.writeString(users, "# comment\nalice:" + hash + "\n");
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "relay: {users-file: users}\n");
        Policy p = PolicyParser.parse(file);
        UsersFile u = UsersFile.load(p.relay().usersFile());
        assertThat(u.verify("alice", "s3cret")).isTrue();
        assertThat(u.verify("alice", "wrong")).isFalse();
        assertThat(u.verify("bob", "s3cret")).isFalse();

        Files.writeString(users, "carol:$apr1$abc$def\n");
        assertThatThrownBy(() -> UsersFile.load(users)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("line 1");
    }
}
